#!/usr/bin/env python3
"""Validate objects of CRD kinds against their CustomResourceDefinitions.

usage: crd_schema.py SCHEMA_DIR FILE...

Each FILE is a YAML stream. Every object is checked against the OpenAPI v3
schema of its apiVersion and kind among the CRDs in SCHEMA_DIR, the way an
API server with strict field validation reads it: wherever a schema lists
`properties` (and does not preserve unknown fields), other fields are
errors, so `additionalProperties: false` is added there. `metadata`, which
a CRD leaves as `type: object`, is checked as ObjectMeta of a rendered
object: name, namespace, labels, annotations, with Kubernetes' syntax for
names and labels. CEL rules (`x-kubernetes-validations`) are not evaluated
here; tests/validate.rs checks the ones a rendered object can hit.

Prints one line per problem; exit status 0 when all objects are valid, 1
when one is not, 2 when an object's kind has no CRD in SCHEMA_DIR.
"""

import pathlib
import sys

import jsonschema
import yaml

DNS_SUBDOMAIN = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"
DNS_LABEL = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"
LABEL_VALUE = r"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$"
LABEL_KEY = (
    r"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?"
    r"([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$"
)

OBJECT_META = {
    "type": "object",
    "additionalProperties": False,
    "required": ["name"],
    "properties": {
        "name": {"type": "string", "maxLength": 253, "pattern": DNS_SUBDOMAIN},
        "namespace": {"type": "string", "maxLength": 63, "pattern": DNS_LABEL},
        "labels": {
            "type": "object",
            "propertyNames": {"maxLength": 316, "pattern": LABEL_KEY},
            "additionalProperties": {"type": "string", "maxLength": 63, "pattern": LABEL_VALUE},
        },
        "annotations": {
            "type": "object",
            "propertyNames": {"pattern": LABEL_KEY},
            "additionalProperties": {"type": "string"},
        },
    },
}


def strict(schema):
    """The schema with unknown fields forbidden wherever it lists fields.

    Only structural nodes are tightened (properties, items,
    additionalProperties); anyOf/allOf/oneOf/not branches are left alone, as
    in a structural schema they only restate the node's own fields.
    """
    if not isinstance(schema, dict):
        return schema
    s = dict(schema)
    if (
        "properties" in s
        and "additionalProperties" not in s
        and not s.get("x-kubernetes-preserve-unknown-fields")
    ):
        s["additionalProperties"] = False
    if "properties" in s:
        s["properties"] = {k: strict(v) for k, v in s["properties"].items()}
    for key in ("items", "additionalProperties"):
        if isinstance(s.get(key), dict):
            s[key] = strict(s[key])
    return s


def load_crds(directory):
    crds = {}
    for path in sorted(pathlib.Path(directory).glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text()):
            if not doc or doc.get("kind") != "CustomResourceDefinition":
                continue
            spec = doc["spec"]
            for version in spec["versions"]:
                schema = strict(version["schema"]["openAPIV3Schema"])
                schema.setdefault("properties", {})["metadata"] = OBJECT_META
                key = (f"{spec['group']}/{version['name']}", spec["names"]["kind"])
                crds[key] = (path.name, schema)
    return crds


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    crds = load_crds(argv[1])
    problems = 0
    checked = 0
    for name in argv[2:]:
        with open(name) as f:
            docs = [d for d in yaml.safe_load_all(f) if d is not None]
        for doc in docs:
            key = (doc.get("apiVersion"), doc.get("kind"))
            ident = f"{name}: {key[1]} {doc.get('metadata', {}).get('name')} ({key[0]})"
            if key not in crds:
                print(f"{ident}: no CRD for this apiVersion and kind in {argv[1]}")
                return 2
            crd_file, schema = crds[key]
            validator = jsonschema.Draft7Validator(schema)
            for error in sorted(validator.iter_errors(doc), key=lambda e: list(e.path)):
                path = ".".join(str(p) for p in error.absolute_path) or "(top)"
                print(f"{ident}: {path}: {error.message} [{crd_file}]")
                problems += 1
            checked += 1
    print(f"checked {checked} objects against CRD schemas: {problems} problems", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
