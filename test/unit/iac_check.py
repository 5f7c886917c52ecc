"""Reads the exported CloudFormation and Terraform back, for test/unit/iac.test.ts.

  python iac_check.py cfn FILE PARAMS_JSON   -> the template with every intrinsic function evaluated
                                               (parameters from PARAMS_JSON, else their Default), as JSON
  python iac_check.py hcl FILE...            -> each file parsed by python-hcl2, as JSON

The CloudFormation evaluator covers what CloudFormation itself would do with the functions the
exporter writes (Ref, Fn::Sub, Fn::Join, Fn::Split, Fn::If, Fn::Equals, Fn::And, Fn::Not, Fn::GetAtt)
and fails on anything else, so an unexpected construct cannot pass unnoticed.
"""
import json
import re
import sys

import yaml


class CfnLoader(yaml.SafeLoader):
    pass


def _tag(loader, suffix, node):
    name = {"Ref": "Ref", "Condition": "Condition"}.get(suffix, "Fn::" + suffix)
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
        if name == "Fn::GetAtt":
            value = value.split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return {name: value}


CfnLoader.add_multi_constructor("!", _tag)
NO_VALUE = object()


def evaluate(template, overrides):
    params = {}
    for key, spec in (template.get("Parameters") or {}).items():
        if key in overrides:
            value = overrides[key]
        elif "Default" in spec:
            value = spec["Default"]
        else:
            raise SystemExit(f"parameter {key} has no value")
        if spec["Type"] == "CommaDelimitedList":
            value = [] if value == "" else value.split(",")
        params[key] = value
    params.update({k: v for k, v in overrides.items() if k.startswith("AWS::")})
    params["AWS::NoValue"] = NO_VALUE

    conditions = {}

    def ev(v):
        if isinstance(v, list):
            return [x for x in (ev(i) for i in v) if x is not NO_VALUE]
        if not isinstance(v, dict):
            return v
        if len(v) == 1:
            (k, a), = v.items()
            if k == "Ref":
                if a not in params:
                    return {"Ref": a}  # a resource: left as it is
                return params[a]
            if k == "Condition":
                return cond(a)
            if k == "Fn::Sub":
                text, local = (a, {}) if isinstance(a, str) else (a[0], {n: ev(x) for n, x in a[1].items()})

                def sub(m):
                    name = m.group(1)
                    if name.startswith("!"):
                        return "${" + name[1:] + "}"
                    value = local[name] if name in local else params[name]
                    if not isinstance(value, str):
                        raise SystemExit(f"Fn::Sub of a non-string {name}")
                    return value

                return re.sub(r"\$\{([^}]+)\}", sub, text)
            if k == "Fn::Join":
                return a[0].join(ev(a[1]))
            if k == "Fn::Split":
                return ev(a[1]).split(a[0])
            if k == "Fn::If":
                return ev(a[1]) if cond(a[0]) else ev(a[2])
            if k == "Fn::Equals":
                return ev(a[0]) == ev(a[1])
            if k == "Fn::And":
                return all(ev(x) for x in a)
            if k == "Fn::Not":
                return not ev(a[0])
            if k == "Fn::GetAtt":
                return {"Fn::GetAtt": a}
            if k.startswith("Fn::"):
                raise SystemExit(f"unexpected function {k}")
        return {k: x for k, x in ((k, ev(x)) for k, x in v.items()) if x is not NO_VALUE}

    def cond(name):
        if name not in conditions:
            conditions[name] = bool(ev(template["Conditions"][name]))
        return conditions[name]

    resources = {}
    for key, res in template["Resources"].items():
        if "Condition" in res and not cond(res["Condition"]):
            continue
        resources[key] = {"Type": res["Type"], "Properties": ev(res.get("Properties", {}))}
    return {"Resources": resources, "Conditions": {k: cond(k) for k in (template.get("Conditions") or {})}}


def main():
    mode = sys.argv[1]
    if mode == "cfn":
        with open(sys.argv[2]) as f:
            template = yaml.load(f, Loader=CfnLoader)
        print(json.dumps(evaluate(template, json.loads(sys.argv[3]))))
    elif mode == "hcl":
        import hcl2

        out = []
        for path in sys.argv[2:]:
            with open(path) as f:
                out.append(hcl2.load(f))
        print(json.dumps(out))
    else:
        raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    main()
