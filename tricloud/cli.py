"""``tricloud``: validate stack configs and synthesise stacks offline.

No Pulumi CLI and no credentials: ``plan`` runs the real program under Pulumi's mocks.
Exit codes: 0 fine, 1 the program failed, 2 a config or usage error (message, no traceback).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from config.errors import USER_ERRORS, ConfigError, Problem
from config.loader import load_stack_file
from config.stacks import STACKS_DIR, find_stack_file, load_all, stack_files


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
    for stack in stacks:
        p = stack.platform
        print(f"ok  {stack.name:<24} {p.cloud.value:<6} {p.region:<16} {p.environment.value:<8}"
              f" {p.network.cidr}")
        for key in stack.repeated_defaults:
            print(f"    note: {key} repeats the {p.environment.value} default; the stack file "
                  "needs only what differs")
    print(f"{len(stacks)} stack(s) valid in {time.perf_counter() - started:.2f}s")
    return 0


def _plan(args: argparse.Namespace) -> int:
    from tricloud import plan as planfile
    from tricloud.synth import synthesize
    from tricloud.tree import render

    paths = _stack_paths(args)
    if args.all or not args.stack:
        load_all(args.stacks_dir)  # refuse to plan a set of stacks whose ranges clash
    plans = []
    for i, path in enumerate(paths, 1):
        started = time.perf_counter()
        print(f"[{i}/{len(paths)}] synthesising {path.name} ...", file=sys.stderr, flush=True)
        result = synthesize(path)
        print(f"[{i}/{len(paths)}] {result.stack}: {len(result.resources)} resources in "
              f"{time.perf_counter() - started:.1f}s", file=sys.stderr, flush=True)
        plans.append(result)
        if not args.quiet:
            print(render(result))
            print()
    if args.json:
        planfile.write(plans, args.json)
        print(f"wrote {args.json} ({len(plans)} stack(s))", file=sys.stderr)
    return 0


def _reference(args: argparse.Namespace) -> int:
    from tricloud.reference import GENERATED, generated_block, update_readme

    if args.update:
        args.update.write_text(update_readme(args.update.read_text()))
        print(f"updated the config reference in {args.update}", file=sys.stderr)
    else:
        print("\n\n".join(generated_block(b) for b in GENERATED))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tricloud", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name, help_text in (("validate", "check stack configs (fast, no synthesis)"),
                            ("plan", "synthesise stacks under Pulumi mocks and print them")):
        cmd = sub.add_parser(name, help=help_text)
        cmd.add_argument("--stack", action="append", metavar="NAME|FILE",
                         help="a stack name (dev-aws) or stack file; repeatable")
        cmd.add_argument("--all", action="store_true", help="every stack file (the default)")
        cmd.add_argument("--stacks-dir", type=Path, default=STACKS_DIR, help=argparse.SUPPRESS)
        if name == "plan":
            cmd.add_argument("--json", type=Path, metavar="FILE",
                             help="also write the plan as tricloud-plan/1 JSON")
            cmd.add_argument("--quiet", action="store_true", help="no tree, progress only")
    ref = sub.add_parser("reference", help="print the config reference (Markdown)")
    ref.add_argument("--update", type=Path, metavar="README",
                     help="rewrite the generated block in this file instead of printing")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler = {"validate": _validate, "plan": _plan, "reference": _reference}[args.command]
    try:
        return handler(args)
    except USER_ERRORS as error:
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
