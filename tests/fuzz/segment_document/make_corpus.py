#!/usr/bin/env python3
"""Writes the seed corpus of the segment_document target: one byte (0 JSON, 1 YAML) then the
document. Covers every rule kind, windows, exact numbers, and typical mistakes."""
import pathlib

JSON, YAML = 0, 1
seeds = {
    "json-lapsed-vip": (JSON, '''{
  "id": "lapsed-vip", "name": "Lapsed VIPs",
  "description": "Spent 500 or more in the last two years, nothing in the last 90 days",
  "rule": {"all": [{"revenue": {"within_days": 730, "min": 500}},
                   {"not": {"purchased": {"within_days": 90}}}]}
}'''),
    "json-purchased": (JSON, '{"id":"shoes","name":"Shoes","rule":{"purchased":{"between":["2026-01-01","2026-01-31"],"items":["SKU-1"],"categories":["Shoes>Running"],"min_orders":2}}}'),
    "json-orders-any": (JSON, '{"id":"o","name":"O","rule":{"any":[{"orders":{"min":1,"max":3}},{"last_purchase":{"within_days":30,"before_days":7}},{"first_purchase":{"before_days":0}}]}}'),
    "json-lifecycle": (JSON, '{"id":"l","name":"L","rule":{"lifecycle":"defecting"}}'),
    "json-field-in": (JSON, '{"id":"f","name":"F","rule":{"field":{"name":"s_channel","op":"in","value":["web","app"],"within_days":7}}}'),
    "json-field-decimal": (JSON, '{"id":"f2","name":"F","rule":{"all":[{"field":{"name":"f_cost","op":"lt","value":0.0000005}},{"field":{"name":"d_shipped","op":"ge","value":"2026-01-01T00:00:00Z"}},{"field":{"name":"i_n","op":"ne","value":-9223372036854775808}}]}}'),
    "json-exact-numbers": (JSON, '{"id":"n","name":"N","rule":{"revenue":{"min":-0.5e1,"max":9007199254740993.000001}}}'),
    "json-prefix": (JSON, '{"id":"p","name":"P","rule":{"field":{"name":"s_note","op":"prefix","value":"gift \\u00e9\\ud83d\\ude00"}}}'),
    "json-errors": (JSON, '{"id":"Bad Id","nmae":"x","rule":{"any":[{"orders":{"min":-1}},{"lifecycle":"actve"},{"not":{"purchsed":{}}}]}}'),
    "json-duplicate-key": (JSON, '{"id":"a","id":"b","name":"x","rule":{"orders":{"min":1}}}'),
    "json-deep": (JSON, '{"id":"d","name":"D","rule":' + '{"not":' * 40 + '{"orders":{"min":1}}' + '}' * 40 + '}'),
    "json-syntax-error": (JSON, '{"id":"x","name":"y","rule":{"orders":{"min":1,}}}'),
    "yaml-lapsed-vip": (YAML, '''id: lapsed-vip
name: Lapsed VIPs
rule:
  all:
    - revenue: {within_days: 730, min: 500}
    - not:
        purchased:
          within_days: 90
'''),
    "yaml-quoted-number": (YAML, 'id: q\nname: "123"\nrule:\n  orders:\n    min: "1"\n'),
    "yaml-field": (YAML, "id: y\nname: Y\nrule:\n  field:\n    name: s_channel\n    op: eq\n    value: 'web'\n    between: [2026-01-01, '2026-02-01']\n"),
    "yaml-anchors": (YAML, "id: a\nname: &n A\ndescription: *n\nrule: {orders: {min: 1.0e0, max: 0x10}}\n"),
    "yaml-multi-doc": (YAML, "id: m\n---\nid: n\n"),
    "yaml-tags-and-nulls": (YAML, "id: !!str 7\nname: ~\nrule: {lifecycle: !!str active, extra: null}\n"),
    "yaml-block-scalar": (YAML, "id: b\nname: |\n  two\n  lines\nrule:\n  purchased: {}\n"),
    "yaml-duplicate-key": (YAML, "id: a\nid: b\n"),
}
out = pathlib.Path(__file__).resolve().parent / "corpus"
out.mkdir(exist_ok=True)
for old in out.iterdir():
    old.unlink()
for name, (fmt, text) in seeds.items():
    (out / name).write_bytes(bytes([fmt]) + text.encode())
