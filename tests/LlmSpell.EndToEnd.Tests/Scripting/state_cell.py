"""Runs one cell on a kernel (connection file, code) and prints its outcome as JSON."""
import sys

import jupyter_driver as d

if __name__ == "__main__":
    d.run_script(lambda cf, code: d.outcome(d.connect(cf), code), *sys.argv[1:])
