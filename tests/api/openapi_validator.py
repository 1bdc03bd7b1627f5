"""Checks HTTP responses against docs/openapi.yaml: the status is documented for the operation,
the content type is a documented one (or there is no body when none is documented), and the body
validates against the documented schema (OpenAPI 3.0 schemas, turned into JSON Schema)."""

import copy
import json
import re

import jsonschema
import yaml


class Mismatch(AssertionError):
    pass


class OpenApi:
    def __init__(self, path):
        with open(path, encoding="utf-8") as f:
            self.doc = yaml.safe_load(f)
        if not str(self.doc.get("openapi", "")).startswith("3.0"):
            raise Mismatch(f"{path}: expected an OpenAPI 3.0 document")
        self.paths = []
        for template, item in self.doc["paths"].items():
            pattern = "^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template)) + "$"
            self.paths.append((re.compile(pattern), template, item))
        # Checked once: every schema compiles, every $ref resolves.
        for _, _, item in self.paths:
            for method, op in item.items():
                if method == "parameters":
                    continue
                for status, response in op["responses"].items():
                    self._content(self._deref(response))
        self.seen = set()  # (template, method, status) exercised

    def _resolve(self, ref):
        if not ref.startswith("#/"):
            raise Mismatch(f"only local $ref are supported: {ref}")
        node = self.doc
        for part in ref[2:].split("/"):
            node = node[part]
        return node

    def _deref(self, node):
        while isinstance(node, dict) and "$ref" in node:
            node = self._resolve(node["$ref"])
        return node

    def json_schema(self, schema):
        """OpenAPI 3.0 schema -> JSON Schema (refs inlined, nullable turned into anyOf null)."""
        schema = copy.deepcopy(self._deref(schema))
        if isinstance(schema, dict):
            nullable = schema.pop("nullable", False)
            for key in ("description", "example"):
                schema.pop(key, None)
            for key in ("properties",):
                if key in schema:
                    schema[key] = {k: self.json_schema(v) for k, v in schema[key].items()}
            for key in ("items", "additionalProperties", "not"):
                if isinstance(schema.get(key), dict):
                    schema[key] = self.json_schema(schema[key])
            for key in ("allOf", "anyOf", "oneOf"):
                if key in schema:
                    schema[key] = [self.json_schema(s) for s in schema[key]]
            if nullable:
                schema = {"anyOf": [schema, {"type": "null"}]}
        return schema

    def _content(self, response):
        content = response.get("content") or {}
        out = {}
        for media, body in content.items():
            out[media] = self.json_schema(body.get("schema", {}))
            jsonschema.Draft7Validator.check_schema(out[media])
        return out

    def operation(self, method, path):
        path = path.split("?", 1)[0]
        for pattern, template, item in self.paths:
            if pattern.match(path) and method.lower() in item:
                return template, item[method.lower()]
        return None, None

    def check(self, method, path, status, headers, body):
        """headers: dict with lower-case names; body: bytes. Returns the parsed JSON (or None)."""
        template, op = self.operation(method, path)
        if op is None:
            # No documented operation (unknown path, wrong method, refused before routing):
            # only an error is possible, and it has the documented Error shape.
            if status < 400:
                raise Mismatch(f"{method} {path}: {status} from an undocumented operation")
            content = {"application/json": self.json_schema({"$ref": "#/components/schemas/Error"})}
            self.seen.add(("-", method, status))
        else:
            responses = op["responses"]
            response = responses.get(str(status)) or responses.get("default")
            if response is None:
                raise Mismatch(
                    f"{method} {template}: status {status} is not documented "
                    f"(documented: {', '.join(sorted(responses))})")
            content = self._content(self._deref(response))
            self.seen.add((template, method, status))
        ctype = (headers.get("content-type") or "").split(";")[0].strip().lower()
        if not content:
            if body:
                raise Mismatch(f"{method} {path}: {status} documents no body, got {body[:200]!r}")
            return None
        if ctype not in content:
            raise Mismatch(
                f"{method} {path}: {status} content type {ctype!r} is not one of {sorted(content)}")
        if not ctype.endswith("json"):
            return None  # text (the Prometheus metrics): its media type is all there is to check
        try:
            value = json.loads(body)
        except ValueError as e:
            raise Mismatch(f"{method} {path}: {status} body is not JSON ({e}): {body[:200]!r}")
        try:
            jsonschema.validate(value, content[ctype], cls=jsonschema.Draft7Validator)
        except jsonschema.ValidationError as e:
            raise Mismatch(
                f"{method} {path}: {status} body does not match docs/openapi.yaml: {e.message} "
                f"at {list(e.absolute_path)}")
        return value
