import gc
import sys

from pipeline.cli.main import main

status = main()
# The process ends: the collection Python runs at exit would walk every record a build left (seconds
# at 100,000 letters) to find no garbage that matters.
gc.freeze()
sys.exit(status)
