#!/usr/bin/env python3
"""Runs a Pulumi Python program for the stand-in language host (support/real-engine/go/langhost/python.go).

It does what the real host's exec shim does (sdk/python/cmd/pulumi-language-python-exec in the Pulumi
repository at v3.259.0): it reads the same arguments, hands the stack's configuration and settings to
pulumi.runtime, and runs the program with runpy inside run_in_stack. Exit status 32 tells the host
that the error has already been shown to the user.
"""

import argparse
import asyncio
import logging
import os
import runpy
import sys
import traceback
from concurrent.futures import ThreadPoolExecutor

SHOWN_TO_USER = 32

try:
    import pulumi
    import pulumi.runtime
except ImportError:
    print(traceback.format_exc(), file=sys.stderr)
    print("The Pulumi SDK is not installed in this Python: pip install -r requirements.txt in the program's virtualenv.",
          file=sys.stderr)
    sys.exit(1)


def main() -> int:
    ap = argparse.ArgumentParser(description="Run a Pulumi Python program")
    for name in ("project", "root_directory", "stack", "parallel", "dry_run", "pwd", "monitor", "engine",
                 "tracing", "organization"):
        ap.add_argument("--" + name)
    ap.add_argument("PROGRAM")
    ap.add_argument("ARGS", nargs="*")
    args = ap.parse_args()

    pulumi.runtime.set_all_config(pulumi.runtime.get_config_env(), pulumi.runtime.get_config_secret_keys_env())
    settings = pulumi.runtime.Settings(
        monitor=args.monitor,
        engine=args.engine,
        project=args.project,
        stack=args.stack,
        parallel=int(args.parallel or "0"),
        dry_run=args.dry_run == "true",
        organization=args.organization,
        root_directory=args.root_directory,
    )
    pulumi.runtime.configure(settings)

    sys.argv = [args.PROGRAM] + args.ARGS
    if args.pwd:
        os.chdir(args.pwd)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    # The SDK runs blocking work (RPCs) on the loop's executor: as many workers as the engine allows.
    executor = ThreadPoolExecutor(max_workers=max(settings.parallel or 1, 1) * 4)
    loop.set_default_executor(executor)
    # A failed program leaves futures of its resource graph unobserved; asyncio's complaints about
    # them would only hide the real error.
    logging.getLogger("asyncio").setLevel(logging.CRITICAL)

    status = 1
    try:
        loop.run_until_complete(pulumi.runtime.run_in_stack(lambda: runpy.run_path(args.PROGRAM, run_name="__main__")))
        status = 0
    except pulumi.RunError as e:
        pulumi.log.error(str(e))
    except Exception:  # noqa: BLE001 -- any failure of the program is reported to the engine
        pulumi.log.error("Program failed with an unhandled exception:\n" + traceback.format_exc())
        status = SHOWN_TO_USER
    finally:
        executor.shutdown(wait=True)
        loop.close()
        sys.stdout.flush()
        sys.stderr.flush()
    return status


if __name__ == "__main__":
    sys.exit(main())
