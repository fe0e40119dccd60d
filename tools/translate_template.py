"""Print template.yaml translated from SAM to plain CloudFormation, as JSON, without AWS access.

Usage: .venv-tools/bin/python tools/translate_template.py [TEMPLATE]. It runs the SAM translator
the way cfn-lint does, with cfn-lint's bundled list of AWS managed policies in place of IAM
calls, so the output shows the roles and policies CloudFormation would create. The template
contract tests read function permissions from it.
"""

import json
import sys

from cfnlint.decode import decode
from cfnlint.template.transforms._sam import Transform


def main(argv: list[str]) -> int:
    path = argv[1] if len(argv) > 1 else "template.yaml"
    template, problems = decode(path)
    if problems or template is None:
        for problem in problems:
            print(f"error: {problem}", file=sys.stderr)
        return 1
    transform = Transform(path, template, "us-east-1")
    problems = transform.transform_template()
    if problems:
        for problem in problems:
            print(f"error: {problem.message}", file=sys.stderr)
        return 1
    json.dump(transform.template(), sys.stdout, indent=1, sort_keys=True, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
