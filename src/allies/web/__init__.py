"""The allies web site and HTTP API (FastAPI): thin adapters over the library."""
