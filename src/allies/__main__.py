from allies.cli import main

main()
