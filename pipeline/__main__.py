import os
import sys

from pipeline.cli import main as cli

status = cli.main()
if cli.LEAVE_AT_ONCE:
    # Nothing is left to do but free memory: what is printed is flushed, and the process ends.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)
sys.exit(status)
