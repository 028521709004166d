"""Event listener for scenario 7: appends "<processname> <time.monotonic()>" per event to argv[1]."""
import sys
import time

from supervisor import childutils


def main():
    out = open(sys.argv[1], "a")
    while True:
        headers, payload = childutils.listener.wait(sys.stdin, sys.stdout)
        t = time.monotonic()
        name = childutils.get_headers(payload).get("processname", "?")
        out.write("%s %.6f\n" % (name, t))
        out.flush()
        childutils.listener.ok(sys.stdout)


if __name__ == "__main__":
    main()
