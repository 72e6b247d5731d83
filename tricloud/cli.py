"""tricloud: validate stack configs and synthesise stacks offline.

No Pulumi CLI and no credentials: ``plan`` runs the real program under Pulumi's mocks.
Exit codes: 0 fine, 1 the program failed, 2 a config or usage error (message, no traceback).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from config.enums import Cloud, Environment
from config.errors import USER_ERRORS, ConfigError, Problem
from config.loader import load_stack_file
from config.stacks import STACKS_DIR, check_against_all, find_stack_file, load_all, stack_files
from tricloud.plan import PlanFileError

if TYPE_CHECKING:
    from tricloud.plan import StackPlan


def _stack_paths(args: argparse.Namespace) -> list[Path]:
    directory: Path = args.stacks_dir
    if args.all or not args.stack:
        paths = stack_files(directory)
        if not paths:
            raise ConfigError(str(directory), [Problem("stacks", None, "no Pulumi.*.yaml files")])
        return paths
    return [Path(s) if s.endswith((".yaml", ".yml")) else find_stack_file(s, directory)
            for s in args.stack]


def _validate(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    if args.all or not args.stack:
        stacks = load_all(args.stacks_dir)  # also checks address ranges across stacks
    else:
        stacks = [load_stack_file(p) for p in _stack_paths(args)]
        check_against_all(stacks, args.stacks_dir)
    for stack in stacks:
        p = stack.platform
        print(f"ok  {stack.name:<24} {p.cloud.value:<6} {p.region:<16} {p.environment.value:<8}"
              f" {p.network.cidr}")
        for key in stack.repeated_defaults:
            print(f"    note: {key} repeats the {p.environment.value} default; the stack file "
                  "needs only what differs")
    print(f"{len(stacks)} stack(s) valid in {time.perf_counter() - started:.2f}s")
    return 0


def _synthesised(args: argparse.Namespace) -> Iterator[StackPlan]:
    """Each selected stack synthesised in turn, with a progress line per stack on stderr."""
    from tricloud.synth import synthesize

    paths = _stack_paths(args)
    if args.all or not args.stack:
        load_all(args.stacks_dir)  # refuse to plan a set of stacks whose ranges clash
    else:  # one stack is still checked against every stack file's range
        check_against_all([load_stack_file(p) for p in paths], args.stacks_dir)
    for i, path in enumerate(paths, 1):
        started = time.perf_counter()
        print(f"[{i}/{len(paths)}] synthesising {path.name} ...", file=sys.stderr, flush=True)
        result = synthesize(path)
        print(f"[{i}/{len(paths)}] {result.stack}: {len(result.resources)} resources in "
              f"{time.perf_counter() - started:.1f}s", file=sys.stderr, flush=True)
        yield result


def _plan(args: argparse.Namespace) -> int:
    from tricloud import graph
    from tricloud import plan as planfile
    from tricloud.check import report
    from tricloud.tree import render

    if args.graph and len(_stack_paths(args)) != 1:
        print("error: --graph draws one stack; choose it with --stack NAME", file=sys.stderr)
        return 2
    plans = []
    for result in _synthesised(args):
        plans.append(result)
        if args.graph == "-":
            print(graph.render(result), end="")
        elif not args.quiet:
            print(render(result))
            print()
    if args.json:
        planfile.write(plans, args.json)
        print(f"wrote {args.json} ({len(plans)} stack(s))", file=sys.stderr)
    if args.graph and args.graph != "-":
        path = Path(args.graph)
        path.write_text(graph.fenced(plans[0]) + "\n" if path.suffix == ".md"
                        else graph.render(plans[0]))
        print(f"wrote {path} (Mermaid)", file=sys.stderr)
    return report(plans, out=sys.stderr if args.graph == "-" else sys.stdout)


def _check(args: argparse.Namespace) -> int:
    from tricloud.check import explain, load_plans, report

    if args.explain:
        return explain()
    if not args.plan:
        return report(list(_synthesised(args)))
    return report(load_plans(args.plan, args.stack))


def _diff(args: argparse.Namespace) -> int:
    from tricloud import plan as planfile
    from tricloud.diffrender import Format
    from tricloud.review import review

    if args.summary and args.format is not Format.MARKDOWN:
        print("error: --summary applies to --format markdown", file=sys.stderr)
        return 2
    result = review(planfile.load(args.base), planfile.load(args.head),
                    guardrails=not args.no_guardrails)
    text = (result.markdown(summary_only=args.summary) if args.format is Format.MARKDOWN
            else result.text())
    if args.output:
        args.output.write_text(text)
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 1 if args.exit_code and result.diff.has_changes else 0


def _cost(args: argparse.Namespace) -> int:
    from tricloud.cost.estimate import estimate
    from tricloud.cost.render import render_costs

    sys.stdout.write(render_costs(estimate(p) for p in _synthesised(args)))
    return 0


def _reference(args: argparse.Namespace) -> int:
    from tricloud import reference as ref

    if args.update is None:
        print("\n\n".join(ref.generated_block(b) for b in ref.GENERATED))
        return 0
    for path in args.update or ref.home_files():
        text = path.read_text()
        if not ref.blocks_in(text):
            homes = ", ".join(sorted(set(ref.HOMES.values())))
            print(f"error: {path} holds no generated block (they live in {homes})",
                  file=sys.stderr)
            return 2
        path.write_text(ref.update_text(text))
        print(f"updated {', '.join(ref.blocks_in(text))} in {path}", file=sys.stderr)
    return 0


def _new_stack(args: argparse.Namespace) -> int:
    from tricloud.newstack import NewStack, NewStackError, create

    spec = NewStack(cloud=args.cloud, region=args.region, environment=args.env,
                    project=args.project, alert_emails=tuple(args.alert_email or ()))
    try:
        path, cidr = create(spec, args.stacks_dir)
    except NewStackError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"wrote {path} (network.cidr {cidr}); next: tricloud validate, then "
          f"tricloud check --stack {spec.name}")
    return 0


def _matrix(args: argparse.Namespace) -> int:
    from tricloud import matrix
    from tricloud import plan as planfile

    if args.affected:
        base, head = (planfile.load(p) for p in args.affected)
        entries = matrix.affected(base, head)
    else:
        entries = matrix.from_stack_files(args.stacks_dir, args.env)
    print(matrix.github_matrix(entries))
    return 0


def _doctor(args: argparse.Namespace) -> int:
    """One line per check with its fix; exit 1 when any check fails."""
    import os

    from tricloud.doctor import Status, diagnose

    stack = args.stack
    path = Path(stack) if stack.endswith((".yaml", ".yml")) else find_stack_file(
        stack, args.stacks_dir)
    results = diagnose(path, os.environ)
    for result in results:
        print(result.line())
    failed = sum(r.status is Status.FAIL for r in results)
    print(f"{len(results) - failed} ok, {failed} to fix before `pulumi up --stack "
          f"{path.stem.removeprefix('Pulumi.')}`" if failed else "ready to deploy")
    return 1 if failed else 0


def _diff_format(value: str) -> object:
    from tricloud.diffrender import Format

    try:
        return Format(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r}: allowed: {', '.join(Format)}") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tricloud", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name, help_text in (("validate", "check stack configs (fast, no synthesis)"),
                            ("plan", "synthesise stacks under Pulumi mocks and print them"),
                            ("check", "evaluate the guardrails; exit 1 on a mandatory violation"),
                            ("cost", "estimated monthly cost per stack, component and resource")):
        cmd = sub.add_parser(name, help=help_text)
        cmd.add_argument("--stack", action="append", metavar="NAME|FILE",
                         help="a stack name (dev-aws) or stack file; repeatable")
        cmd.add_argument("--all", action="store_true", help="every stack file (the default)")
        cmd.add_argument("--stacks-dir", type=Path, default=STACKS_DIR, help=argparse.SUPPRESS)
        if name == "plan":
            cmd.add_argument("--json", type=Path, metavar="FILE",
                             help="also write the plan as tricloud-plan/1 JSON")
            cmd.add_argument("--quiet", action="store_true", help="no tree, progress only")
            cmd.add_argument("--graph", nargs="?", const="-", metavar="FILE",
                             help="draw the stack as a Mermaid flowchart, to stdout or FILE "
                                  "(FILE.md gets a ```mermaid block)")
        if name == "check":
            cmd.add_argument("--plan", type=Path, metavar="FILE.json",
                             help="judge a saved `plan --json` file instead of synthesising")
            cmd.add_argument("--explain", action="store_true",
                             help="print the guardrails and the scanner rules the kit "
                                  "deliberately does not follow, each with its reason")
    diff = sub.add_parser("diff", help="compare two plan files (tricloud plan --json)")
    diff.add_argument("base", type=Path, metavar="BASE.json")
    diff.add_argument("head", type=Path, metavar="HEAD.json")
    diff.add_argument("--format", type=_diff_format, default="text",
                      help="text (default) or markdown (a pull-request comment, size-capped)")
    diff.add_argument("--output", type=Path, metavar="FILE", help="write here, not to stdout")
    diff.add_argument("--exit-code", action="store_true", help="exit 1 when the plans differ")
    diff.add_argument("--no-guardrails", action="store_true",
                      help="leave out the guardrail results of HEAD")
    diff.add_argument("--summary", action="store_true",
                      help="markdown only: the per-stack counts, cost delta and guardrail "
                           "results (and data-store warnings), no resource details")
    new = sub.add_parser("new-stack", help="write a stack file for a new region or environment")
    new.add_argument("--cloud", required=True, type=Cloud, choices=list(Cloud))
    new.add_argument("--region", required=True, help="a region of the cloud (config/regions.py)")
    new.add_argument("--env", required=True, type=Environment, choices=list(Environment))
    new.add_argument("--project", help="the GCP project id (gcp only, required there)")
    new.add_argument("--alert-email", action="append", metavar="EMAIL",
                     help="who gets failure alerts; repeatable")
    new.add_argument("--stacks-dir", type=Path, default=STACKS_DIR, help=argparse.SUPPRESS)
    mat = sub.add_parser("matrix", help="the stacks to act on, as a GitHub Actions matrix (JSON)")
    mat.add_argument("--env", type=Environment, choices=list(Environment),
                     help="only this environment's stacks")
    mat.add_argument("--affected", nargs=2, type=Path, metavar=("BASE.json", "HEAD.json"),
                     help="only stacks whose plan differs between two plan files")
    mat.add_argument("--stacks-dir", type=Path, default=STACKS_DIR, help=argparse.SUPPRESS)
    doc = sub.add_parser("doctor", help="check this machine can deploy a stack for real")
    doc.add_argument("--stack", required=True, metavar="NAME|FILE",
                     help="the stack to deploy (dev-aws) or its stack file")
    doc.add_argument("--stacks-dir", type=Path, default=STACKS_DIR, help=argparse.SUPPRESS)
    ref = sub.add_parser("reference", help="print the docs' generated blocks (Markdown)")
    ref.add_argument("--update", type=Path, nargs="*", metavar="FILE",
                     help="rewrite the generated blocks in these files (default: every docs/ "
                          "file holding one) instead of printing")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler = {"validate": _validate, "plan": _plan, "check": _check, "reference": _reference,
               "diff": _diff, "new-stack": _new_stack, "matrix": _matrix,
               "cost": _cost, "doctor": _doctor}[args.command]
    try:
        return handler(args)
    except (*USER_ERRORS, PlanFileError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except Exception as error:  # a failing program: say what failed, keep the trace short
        from pulumi import RunError

        if isinstance(error, RunError):
            print(f"error: {error}", file=sys.stderr)
            return 2
        print(f"error: synthesis failed: {type(error).__name__}: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
