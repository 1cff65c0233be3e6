"""The data files are read as YAML 1.2: Norway's code stays a string."""

from __future__ import annotations

from allies.yaml12 import line_of, load


def test_yaml_1_1_booleans_and_octals_stay_what_yaml_1_2_says() -> None:
    data = load("a: NO\nb: on\nc: yes\nd: 010\ne: 0o10\nf: true\ng: 1949-04-04\nh: ~\ni: 1.5\n")
    assert data == {
        "a": "NO",
        "b": "on",
        "c": "yes",
        "d": 10,
        "e": 8,
        "f": True,
        "g": "1949-04-04",
        "h": None,
        "i": 1.5,
    }


def test_line_of_follows_keys_and_indexes() -> None:
    text = "- id: a\n  x: 1\n- id: b\n  nested:\n    - k: v\n      bad: 2\n"
    assert line_of(text, (1, "nested", 0, "bad")) == 6
    assert line_of(text, (1, "missing")) == 3
    assert line_of(text, (0,)) == 1


def test_merge_keys_share_a_mapping() -> None:
    assert load("base: &b {x: 1, y: 2}\nother:\n  <<: *b\n  y: 3\n")["other"] == {"x": 1, "y": 3}
