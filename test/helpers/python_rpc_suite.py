"""
Differential XML-RPC suite: drives one supervisord (ours or the real 4.2.5) over its unix socket
with Python's own xmlrpc.client and supervisor's SupervisorTransport, calls every supervisor.* and
system.* method (good and bad arguments, every fault), and prints a JSON transcript on stdout.

The transcript is normalised so two daemons can be compared exactly: pids, times, uptimes, dates,
the temp dir and AUTO log names are replaced by placeholders. A step whose answer is an HTTP error
or an unparseable response is recorded as such ({"http": 500} / {"parse_error": ...}).

usage: python_rpc_suite.py <socket> <config file> <daemon dir> <daemon pid>
"""
import json
import os
import re
import signal
import sys
import time
import xmlrpc.client
from xml.parsers.expat import ExpatError

from supervisor.xmlrpc import SupervisorTransport

SOCK, CONF, DIR, DPID = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
MAINLOG = os.path.join(DIR, "supervisord.log")
BASE_CONF = open(CONF).read()

transcript = []


def proxy():
    return xmlrpc.client.ServerProxy(
        "http://127.0.0.1", transport=SupervisorTransport(None, None, "unix://" + SOCK), allow_none=True
    )


S = proxy()

TIME_KEYS = {"start", "stop", "now"}


def norm_str(s):
    s = s.replace(DIR, "{dir}")
    s = re.sub(r"---supervisor-[A-Za-z0-9_]+\.log", "---supervisor-<auto>.log", s)
    s = re.sub(r"pid \d+, uptime (\d+ days?, )?\d+:\d\d:\d\d", "pid <pid>, uptime <uptime>", s)
    s = re.sub(r"\b[A-Z][a-z]{2} \d\d \d\d:\d\d [AP]M\b", "<date>", s)
    s = re.sub(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} ", "<ts> ", s, flags=re.M)
    s = re.sub(r"with pid \d+", "with pid <pid>", s)
    return s


def norm(v, key=None):
    if isinstance(v, bool) or v is None:
        return v
    if isinstance(v, int):
        if key in TIME_KEYS:
            return "<time>" if v else 0
        if key == "pid":
            return "<pid>" if v else 0
        return v
    if isinstance(v, float):
        return v
    if isinstance(v, str):
        return norm_str(v)
    if isinstance(v, xmlrpc.client.Binary):
        return {"binary": norm_str(v.data.decode("utf-8", "replace"))}
    if isinstance(v, list):
        return [norm(x) for x in v]
    if isinstance(v, dict):
        return {k: norm(x, k) for k, x in v.items()}
    return repr(v)


def raw_call(method, *args):
    """Outcome of one call: {"ok": value} | {"fault": [code, string]} | {"http": code} | {...}."""
    global S
    try:
        fn = S
        for part in method.split("."):
            fn = getattr(fn, part)
        return {"ok": fn(*args)}
    except xmlrpc.client.Fault as f:
        return {"fault": [f.faultCode, norm_str(f.faultString)]}
    except xmlrpc.client.ProtocolError as e:
        S = proxy()
        return {"http": e.errcode}
    except ExpatError as e:
        S = proxy()
        return {"parse_error": "expat"}


def call(label, method, *args, post=None):
    """Records one call; `post` maps a successful value to what is recorded."""
    out = raw_call(method, *args)
    rec = {"step": label, "call": method, "args": norm(list(args))}
    if "ok" in out:
        value = out["ok"]
        rec["ok"] = post(value) if post else norm(value)
    else:
        rec.update(out)
    transcript.append(rec)
    return out.get("ok")


def note(label, value):
    transcript.append({"step": label, "note": norm(value)})


def info(name):
    return S.supervisor.getProcessInfo(name)


def wait_until(pred, what, timeout=30.0):
    end = time.time() + timeout
    while time.time() < end:
        try:
            if pred():
                return
        except (OSError, xmlrpc.client.Fault, xmlrpc.client.ProtocolError):
            pass
        time.sleep(0.05)
    raise SystemExit("timed out waiting for " + what)


def wait_state(name, *states):
    wait_until(lambda: info(name)["statename"] in states, "%s in %s" % (name, states))


def wait_log(name, text, channel="stdout"):
    fn = S.supervisor.tailProcessStdoutLog if channel == "stdout" else S.supervisor.tailProcessStderrLog
    wait_until(lambda: text in fn(name, 0, 100000)[0], "%s %s contains %r" % (name, channel, text))


def set_config(extra="", drop=()):
    """Rewrites the config: the base text minus the named sections, plus `extra`."""
    text = BASE_CONF
    for section in drop:
        text = re.sub(r"(?ms)^\[%s\]\n.*?(?=^\[|\Z)" % re.escape(section), "", text)
    with open(CONF, "w") as f:
        f.write(text + "\n" + extra)


def main_log_bytes():
    with open(MAINLOG, "rb") as f:
        return f.read()


# ---- 0. settle: autostarted processes reach their states -----------------------------------------
for name in ("cat", "echoer", "ctrl", "nolog"):
    wait_state(name, "RUNNING")
wait_log("echoer", "out-line")
wait_log("echoer", "err-line", "stderr")
wait_until(lambda: os.path.getsize(os.path.join(DIR, "badutf.log")) > 0, "badutf output")
wait_until(lambda: os.path.getsize(os.path.join(DIR, "ctrl.log")) > 0, "ctrl output")

# ---- 1. daemon info --------------------------------------------------------------------------------
call("api", "supervisor.getAPIVersion")
call("version", "supervisor.getVersion")
call("supervisor version", "supervisor.getSupervisorVersion")
call("identification", "supervisor.getIdentification")
call("state", "supervisor.getState")
call("pid", "supervisor.getPID", post=lambda v: "<daemon pid>" if v == DPID else v)
call("state with an extra arg", "supervisor.getState", 1)
call("pid with two extra args", "supervisor.getPID", "a", "b")

# ---- 2. system.* -----------------------------------------------------------------------------------
methods = call("listMethods", "system.listMethods")
for m in methods or []:
    call("help " + m, "system.methodHelp", m)
    call("signature " + m, "system.methodSignature", m)
for bad in ("supervisor.nosuch", "nosuch.getState", "getState", "supervisor._update", "a.b.c", ""):
    call("help of unknown", "system.methodHelp", bad)
    call("signature of unknown", "system.methodSignature", bad)
call("methodHelp without args", "system.methodHelp")
call("methodSignature with 2 args", "system.methodSignature", "a", "b")
call("listMethods with an arg", "system.listMethods", 1)
for bad in ("supervisor.nosuch", "nosuch.method", "nosuch", "supervisor.getState.x", "supervisor._update", "system._dispatch", "system.nosuch"):
    call("unknown method", bad)

call("multicall empty", "system.multicall", [])
call(
    "multicall mixed",
    "system.multicall",
    [
        {"methodName": "supervisor.getAPIVersion", "params": []},
        {"methodName": "supervisor.getProcessInfo", "params": ["nosuch"]},
        {"methodName": "system.multicall", "params": [[]]},
        {"params": []},
        {"methodName": "supervisor.nosuch", "params": []},
        {"methodName": "supervisor.getState"},
        {"methodName": "supervisor.getAPIVersion", "params": ["extra"]},
        {"methodName": "supervisor.startProcess", "params": ["sleeper"]},
        {"methodName": "supervisor.getProcessInfo", "params": ["sleeper"]},
        {"methodName": "supervisor.stopProcess", "params": ["sleeper"]},
        {"methodName": "system.listMethods", "params": []},
        {"methodName": "supervisor.getPID", "params": []},
    ],
    post=lambda v: norm([("<daemon pid>" if x == DPID else x) for x in v]),
)
call("KNOWN multicall of a non-array", "system.multicall", "x")
call("multicall without args", "system.multicall")

# ---- 3. process info --------------------------------------------------------------------------------
call("all process info", "supervisor.getAllProcessInfo")
for name in ("cat", "grp:ga", "multi:multi_0", "nosuch", "grp:*", "grp:", "ga", "grp:nosuch", "nosuch:x", ":", "multi"):
    call("process info " + name, "supervisor.getProcessInfo", name)
call("all config info", "supervisor.getAllConfigInfo")

# ---- 4. main log -------------------------------------------------------------------------------------
whole = main_log_bytes()
call("readLog first 5", "supervisor.readLog", 0, 5)
call("readLog 5..9", "supervisor.readLog", 5, 4)
for off, ln in ((-1, 5), (5, -1), (-5, -1)):
    call("readLog bad arguments", "supervisor.readLog", off, ln)
call("readLog past the end", "supervisor.readLog", 10**8, 0)
call("readLog past the end with length", "supervisor.readLog", 10**8, 10)
call("readMainLog alias", "supervisor.readMainLog", 0, 5)
tail = S.supervisor.readLog(-30, 0)
note("readLog -30 is the file's last 30 bytes", tail.encode() == main_log_bytes()[-30:])
huge = S.supervisor.readLog(-(10**8), 0)
note("readLog with a huge negative offset is the whole file", len(huge) >= len(whole))
call("readLog string numbers", "supervisor.readLog", "0", "5")
call("readLog one arg", "supervisor.readLog", 0)
call("clearLog", "supervisor.clearLog")
call("main log after clearLog", "supervisor.readLog", 0, 0)
call("clearLog with an arg", "supervisor.clearLog", 1)

# ---- 5. process logs ----------------------------------------------------------------------------------
for fn in ("readProcessStdoutLog", "readProcessLog", "readProcessStderrLog"):
    call(fn + " whole", "supervisor." + fn, "echoer", 0, 0)
    call(fn + " 0,3", "supervisor." + fn, "echoer", 0, 3)
    call(fn + " 2,4", "supervisor." + fn, "echoer", 2, 4)
    call(fn + " -4,0", "supervisor." + fn, "echoer", -4, 0)
    call(fn + " -1000,0", "supervisor." + fn, "echoer", -1000, 0)
    call(fn + " -4,1", "supervisor." + fn, "echoer", -4, 1)
    call(fn + " 2,-1", "supervisor." + fn, "echoer", 2, -1)
    call(fn + " 1000,0", "supervisor." + fn, "echoer", 1000, 0)
    call(fn + " 1000,5", "supervisor." + fn, "echoer", 1000, 5)
    call(fn + " nosuch", "supervisor." + fn, "nosuch", 0, 0)
    call(fn + " group", "supervisor." + fn, "grp:*", 0, 0)
    call(fn + " no log file", "supervisor." + fn, "nolog", 0, 0)
    call(fn + " string numbers", "supervisor." + fn, "echoer", "1", "2")
    call(fn + " too few", "supervisor." + fn, "echoer", 0)
call("stderr of a redirected process", "supervisor.readProcessStderrLog", "cat", 0, 0)
for fn in ("tailProcessStdoutLog", "tailProcessLog", "tailProcessStderrLog"):
    for off, ln in ((0, 5), (0, 100), (100, 100), (3, 4), (9, 0), (-1, 5), (0, 0), (5, -3), (-100, 2)):
        call("%s %d,%d" % (fn, off, ln), "supervisor." + fn, "echoer", off, ln)
    call(fn + " nosuch", "supervisor." + fn, "nosuch", 0, 10)
    call(fn + " group", "supervisor." + fn, "grp:", 0, 10)
    call(fn + " no log file", "supervisor." + fn, "nolog", 0, 10)
# a log file deleted behind the daemon's back
os.unlink(os.path.join(DIR, "echoer-err.log"))
call("read a deleted log", "supervisor.readProcessStderrLog", "echoer", 0, 0)
call("tail a deleted log", "supervisor.tailProcessStderrLog", "echoer", 0, 10)
# known differences of the reference (HTTP 500 / ill-formed XML): checked by the test
call("KNOWN invalid utf-8 read", "supervisor.readProcessStdoutLog", "badutf", 0, 0)
call("KNOWN invalid utf-8 tail", "supervisor.tailProcessStdoutLog", "badutf", 0, 100)
call("KNOWN control characters", "supervisor.readProcessStdoutLog", "ctrl", 0, 0)
call("KNOWN int offset", "supervisor.readProcessStdoutLog", "echoer", "x", 0)

call("clearProcessLogs", "supervisor.clearProcessLogs", "echoer")
call("after clear stdout", "supervisor.readProcessStdoutLog", "echoer", 0, 0)
call("after clear stderr", "supervisor.readProcessStderrLog", "echoer", 0, 0)
call("clearProcessLog alias", "supervisor.clearProcessLog", "cat")
call("clearProcessLogs of a stopped process", "supervisor.clearProcessLogs", "sleeper")
call("clearProcessLogs nosuch", "supervisor.clearProcessLogs", "nosuch")
call("clearProcessLogs group", "supervisor.clearProcessLogs", "grp:*")
call("clearProcessLogs without log", "supervisor.clearProcessLogs", "nolog")
call("clearAllProcessLogs", "supervisor.clearAllProcessLogs")

# ---- 6. stdin and comm events ------------------------------------------------------------------------
call("sendProcessStdin", "supervisor.sendProcessStdin", "cat", "hello cat\n")
wait_log("cat", "hello cat")
call("sendProcessStdin base64", "supervisor.sendProcessStdin", "cat", xmlrpc.client.Binary(b"bytes cat\n"))
call("sendProcessStdin unicode", "supervisor.sendProcessStdin", "cat", "h\u00e9llo \u20ac\n")
wait_log("cat", "h\u00e9llo \u20ac")
call("cat log after stdin", "supervisor.readProcessStdoutLog", "cat", 0, 0)
for bad in (5, True, 1.5, [1, 2], {"a": 1}, None):
    call("sendProcessStdin non-string", "supervisor.sendProcessStdin", "cat", bad)
call("sendProcessStdin to a stopped process", "supervisor.sendProcessStdin", "sleeper", "x")
call("sendProcessStdin nosuch", "supervisor.sendProcessStdin", "nosuch", "x")
call("sendProcessStdin group", "supervisor.sendProcessStdin", "grp:*", "x")
call("sendProcessStdin empty", "supervisor.sendProcessStdin", "cat", "")
call("sendRemoteCommEvent", "supervisor.sendRemoteCommEvent", "mytype", "some data")
call("sendRemoteCommEvent non-strings", "supervisor.sendRemoteCommEvent", 1, 2)
call("sendRemoteCommEvent one arg", "supervisor.sendRemoteCommEvent", "t")

# ---- 7. start / stop / wait ---------------------------------------------------------------------------
call("start sleeper (wait)", "supervisor.startProcess", "sleeper")
call("sleeper info", "supervisor.getProcessInfo", "sleeper")
call("start again", "supervisor.startProcess", "sleeper")
call("stop sleeper (wait)", "supervisor.stopProcess", "sleeper")
call("sleeper info after stop", "supervisor.getProcessInfo", "sleeper")
call("stop again", "supervisor.stopProcess", "sleeper")
call("start sleeper nowait", "supervisor.startProcess", "sleeper", False)
call("sleeper starting", "supervisor.getProcessInfo", "sleeper")
wait_state("sleeper", "RUNNING")
call("stop sleeper nowait", "supervisor.stopProcess", "sleeper", False)
wait_state("sleeper", "STOPPED")
call("start with wait=0", "supervisor.startProcess", "sleeper", 0)
wait_state("sleeper", "RUNNING")
call("stop with wait=''", "supervisor.stopProcess", "sleeper", "")
wait_state("sleeper", "STOPPED")
call("start with wait='yes'", "supervisor.startProcess", "sleeper", "yes")
call("stop with wait=None", "supervisor.stopProcess", "sleeper", None)
wait_state("sleeper", "STOPPED")
call("start nofile", "supervisor.startProcess", "nofile")
call("start notexec", "supervisor.startProcess", "notexec")
call("start badcmd", "supervisor.startProcess", "noperm")
call("start quick (exits too quickly)", "supervisor.startProcess", "quick")
wait_state("quick", "FATAL")
call("quick info", "supervisor.getProcessInfo", "quick")
call("start quick nowait", "supervisor.startProcess", "quick", False)
wait_state("quick", "FATAL")
call("stop a FATAL process", "supervisor.stopProcess", "quick")
call("start nosuch", "supervisor.startProcess", "nosuch")
call("start nosuch group form", "supervisor.startProcess", "nosuch:*")
call("start nosuch in group", "supervisor.startProcess", "grp:nosuch")
call("start group-only name", "supervisor.startProcess", "grp")
call("stop nosuch", "supervisor.stopProcess", "nosuch")
call("stop nosuch group form", "supervisor.stopProcess", "nosuch:")
call("start without args", "supervisor.startProcess")
call("start with 3 args", "supervisor.startProcess", "sleeper", True, 1)
call("KNOWN start with an int name", "supervisor.startProcess", 1)

# STOPPING: ABNORMAL_TERMINATION for a waiting start, NOT_RUNNING for stop, still signallable
call("start stubborn", "supervisor.startProcess", "stubborn")
wait_log("stubborn", "ready")
call("stop stubborn nowait", "supervisor.stopProcess", "stubborn", False)
call("stubborn is stopping", "supervisor.getProcessInfo", "stubborn")
call("start a stopping process (wait)", "supervisor.startProcess", "stubborn")
call("start a stopping process (nowait)", "supervisor.startProcess", "stubborn", False)
call("stop a stopping process", "supervisor.stopProcess", "stubborn")
call("sendProcessStdin to a stopping process", "supervisor.sendProcessStdin", "stubborn", "x")
call("signal a stopping process", "supervisor.signalProcess", "stubborn", "KILL")
wait_state("stubborn", "STOPPED")
call("stubborn info", "supervisor.getProcessInfo", "stubborn")

# groups
call("start group (wait)", "supervisor.startProcessGroup", "grp")
call("start group again", "supervisor.startProcessGroup", "grp")
call("start g:* (all running)", "supervisor.startProcess", "grp:*")
call("stop g: (wait)", "supervisor.stopProcess", "grp:")
call("stop group again", "supervisor.stopProcessGroup", "grp")
call("start g:* (wait)", "supervisor.startProcess", "grp:*")
call("stop group (wait)", "supervisor.stopProcessGroup", "grp")
call("start group nowait", "supervisor.startProcessGroup", "grp", False)
wait_state("grp:ga", "RUNNING")
wait_state("grp:gb", "RUNNING")
call("stop group nowait", "supervisor.stopProcessGroup", "grp", False)
wait_state("grp:ga", "STOPPED")
wait_state("grp:gb", "STOPPED")
call("start group nosuch", "supervisor.startProcessGroup", "nosuch")
call("stop group nosuch", "supervisor.stopProcessGroup", "nosuch")
call("start group with a process name", "supervisor.startProcessGroup", "grp:ga")
call("start mixed group", "supervisor.startProcessGroup", "mixed")
wait_state("mixed:m_quick", "FATAL")
call("mixed info", "supervisor.getAllProcessInfo")
call("stop mixed group", "supervisor.stopProcessGroup", "mixed")
call("start homogeneous group", "supervisor.startProcessGroup", "multi")
call("stop multi:multi_1", "supervisor.stopProcess", "multi:multi_1")
call("start multi:* again", "supervisor.startProcess", "multi:*")
call("stop multi:*", "supervisor.stopProcess", "multi:*")

# signals
call("signal by name", "supervisor.signalProcess", "nolog", "CONT")
call("signal SIG-prefixed lower case", "supervisor.signalProcess", "nolog", "sigcont")
call("signal by number", "supervisor.signalProcess", "nolog", 18)
call("signal number as string", "supervisor.signalProcess", "nolog", "18")
call("signal padded name", "supervisor.signalProcess", "nolog", " cont ")
call("signal 0", "supervisor.signalProcess", "nolog", 0)
for bad in ("BOGUS", 999, "-1", "SIGBOGUS", ""):
    call("bad signal", "supervisor.signalProcess", "nolog", bad)
call("signal a stopped process", "supervisor.signalProcess", "sleeper", "HUP")
call("bad signal to a stopped process", "supervisor.signalProcess", "sleeper", "BOGUS")
call("signal nosuch", "supervisor.signalProcess", "nosuch", "HUP")
call("signal g:* (none running)", "supervisor.signalProcess", "grp:*", "HUP")
call("start group for signals", "supervisor.startProcessGroup", "grp")
call("signal g:*", "supervisor.signalProcess", "grp:*", "CONT")
call("signal group", "supervisor.signalProcessGroup", "grp", "CONT")
call("signal group bad signal", "supervisor.signalProcessGroup", "grp", "BOGUS")
call("signal group nosuch", "supervisor.signalProcessGroup", "nosuch", "HUP")
call("signal group, process name", "supervisor.signalProcessGroup", "grp:ga", "HUP")
call("signal all", "supervisor.signalAllProcesses", "CONT")
call("signal all bad signal", "supervisor.signalAllProcesses", "BOGUS")
call("signal all, no args", "supervisor.signalAllProcesses")
call("stop group after signals", "supervisor.stopProcessGroup", "grp")

# all
call("stop all (wait)", "supervisor.stopAllProcesses")
call("all info after stop all", "supervisor.getAllProcessInfo")
call("stop all again", "supervisor.stopAllProcesses")
call("start all (wait)", "supervisor.startAllProcesses")
for name in ("quick", "mixed:m_quick"):
    wait_state(name, "FATAL")
call("all info after start all", "supervisor.getAllProcessInfo")
call("start all again", "supervisor.startAllProcesses")
wait_state("quick", "FATAL")
wait_state("mixed:m_quick", "FATAL")
call("stop all nowait", "supervisor.stopAllProcesses", False)
wait_until(lambda: all(p["statename"] in ("STOPPED", "FATAL", "EXITED") for p in S.supervisor.getAllProcessInfo()), "all stopped")
call("start all nowait", "supervisor.startAllProcesses", False)
wait_until(lambda: all(p["statename"] in ("RUNNING", "FATAL", "STOPPED", "EXITED") for p in S.supervisor.getAllProcessInfo()), "all started")
wait_state("quick", "FATAL")
wait_state("mixed:m_quick", "FATAL")
call("all info after start all nowait", "supervisor.getAllProcessInfo")

# ---- 8. stdin closed by the child --------------------------------------------------------------------
call("start closer", "supervisor.startProcess", "closer")
wait_log("closer", "closed")
call("sendProcessStdin to a closed stdin (first)", "supervisor.sendProcessStdin", "closer", "x\n", post=lambda v: "answered")
time.sleep(1.5)
call("sendProcessStdin to a closed stdin (second)", "supervisor.sendProcessStdin", "closer", "x\n")

# ---- 9. config: reloadConfig, add/remove groups -------------------------------------------------------
call("reloadConfig unchanged", "supervisor.reloadConfig")
set_config(
    "[program:added]\ncommand=/bin/sleep 1000\nautostart=false\n",
    drop=("program:nolog",),
)
with open(CONF) as f:
    text = f.read()
with open(CONF, "w") as f:
    f.write(text.replace("numprocs=2\n", "numprocs=2\nstartretries=7\n"))
call("reloadConfig with changes", "supervisor.reloadConfig")
call("config info after reread", "supervisor.getAllConfigInfo")
call("add nosuch", "supervisor.addProcessGroup", "nosuch")
call("add a removed group", "supervisor.addProcessGroup", "nolog")
call("add added", "supervisor.addProcessGroup", "added")
call("add added again", "supervisor.addProcessGroup", "added")
call("add an unchanged active group", "supervisor.addProcessGroup", "cat")
call("info of the added group", "supervisor.getProcessInfo", "added")
call("remove nosuch", "supervisor.removeProcessGroup", "nosuch")
call("remove a running group", "supervisor.removeProcessGroup", "nolog")
call("stop nolog", "supervisor.stopProcess", "nolog")
call("remove nolog", "supervisor.removeProcessGroup", "nolog")
call("remove nolog again", "supervisor.removeProcessGroup", "nolog")
call("remove multi (running)", "supervisor.removeProcessGroup", "multi")
call("stop multi", "supervisor.stopProcessGroup", "multi")
call("remove multi", "supervisor.removeProcessGroup", "multi")
call("add multi", "supervisor.addProcessGroup", "multi")
# Groups of equal priority: the reference keeps them in the order they became active (added
# groups come last), priority order being a stable sort on priority alone.
call("start multi after re-adding", "supervisor.startProcessGroup", "multi")
call("start added", "supervisor.startProcess", "added")
call("signal all: order of equal-priority groups", "supervisor.signalAllProcesses", "CONT")
call("stop added", "supervisor.stopProcess", "added")
call("stop multi again", "supervisor.stopProcessGroup", "multi")
call("reloadConfig after updates", "supervisor.reloadConfig")
call("config info after updates", "supervisor.getAllConfigInfo")
call("all info after updates", "supervisor.getAllProcessInfo")
call("add/remove wrong arg count", "supervisor.addProcessGroup")
set_config("[program:broken]\nautostart=false\n")
call("reloadConfig of a broken config", "supervisor.reloadConfig")
set_config("[program:big]\ncommand=/bin/sleep 1\nautostart=false\nstdout_logfile_maxbytes=3GB\n")
call("reloadConfig with a big program", "supervisor.reloadConfig")
call("KNOWN config info with an int beyond 2^31", "supervisor.getAllConfigInfo")
set_config()
call("reloadConfig restored", "supervisor.reloadConfig")

# ---- 10. main log missing ------------------------------------------------------------------------------
os.unlink(MAINLOG)
call("readLog of a deleted main log", "supervisor.readLog", 0, 0)
call("clearLog of a deleted main log", "supervisor.clearLog")
os.kill(DPID, signal.SIGUSR2)
wait_until(lambda: os.path.exists(MAINLOG), "main log reopened")

# ---- 11. restart and shutdown --------------------------------------------------------------------------
call("start stubborn before restart", "supervisor.startProcess", "stubborn")
wait_log("stubborn", "ready")
call("restart", "supervisor.restart")
call("state while restarting", "supervisor.getState")
call("restart while restarting", "supervisor.restart")
call("listMethods while restarting", "system.listMethods", post=len)
call("comm event while restarting", "supervisor.sendRemoteCommEvent", "t", "d")


def back_up():
    global S
    S = proxy()
    return S.supervisor.getState()["statename"] == "RUNNING"


wait_until(back_up, "restarted", timeout=40)
for name in ("cat", "echoer", "nolog"):
    wait_state(name, "RUNNING")
call("all info after restart", "supervisor.getAllProcessInfo")
call("start stubborn before shutdown", "supervisor.startProcess", "stubborn")
wait_log("stubborn", "ready")
call("shutdown", "supervisor.shutdown")
for m in ("getState", "getAPIVersion", "getPID", "startProcess", "readLog", "getAllProcessInfo", "reloadConfig", "shutdown", "restart"):
    args = {"startProcess": ("cat",), "readLog": (0, 0)}.get(m, ())
    call("while shutting down: " + m, "supervisor." + m, *args)
call("while shutting down: comm event", "supervisor.sendRemoteCommEvent", "t", "d")
call("while shutting down: listMethods", "system.listMethods", post=len)
call(
    "while shutting down: multicall",
    "system.multicall",
    [{"methodName": "supervisor.getState", "params": []}, {"methodName": "system.methodHelp", "params": ["supervisor.getPID"]}],
)

json.dump(transcript, sys.stdout, indent=1, sort_keys=False)
sys.stdout.write("\n")
