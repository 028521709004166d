"""Load a supervisord config with the REAL Supervisor parser and dump it as JSON.

Usage: /usr/bin/python3 python_config_dump.py <config-file>

Prints {"ok": {...}} or {"error": "<message supervisord would print after 'Error: '>"}.
Only ServerOptions.realize() is run (it reads and validates the config); it creates no files.
The host name is fixed through DUMP_HOSTNAME so results are deterministic.
"""
import json
import os
import platform
import sys

platform.node = lambda: os.environ.get("DUMP_HOSTNAME", "testhost")

from supervisor import datatypes  # noqa: E402
from supervisor.events import getEventNameByType  # noqa: E402
from supervisor.options import (  # noqa: E402
    EventListenerPoolConfig,
    FastCGIGroupConfig,
    ServerOptions,
)


class Usage(Exception):
    pass


def usage(msg):
    raise Usage(str(msg))


def logfile(v):
    if v is datatypes.Automatic:
        return {"kind": "auto"}
    if v is None:
        return {"kind": "none"}
    return {"kind": "path", "path": v}


def autorestart(v):
    if v is datatypes.RestartUnconditionally:
        return True
    if v is datatypes.RestartWhenExitUnexpected:
        return "unexpected"
    return False


def process(p):
    return {
        "name": p.name,
        "command": p.command,
        "environment": p.environment,
        "directory": p.directory,
        "umask": p.umask,
        "priority": p.priority,
        "autostart": p.autostart,
        "autorestart": autorestart(p.autorestart),
        "startsecs": p.startsecs,
        "startretries": p.startretries,
        "uid": p.uid,
        "stdout_logfile": logfile(p.stdout_logfile),
        "stdout_logfile_maxbytes": p.stdout_logfile_maxbytes,
        "stdout_logfile_backups": p.stdout_logfile_backups,
        "stdout_capture_maxbytes": p.stdout_capture_maxbytes,
        "stdout_events_enabled": p.stdout_events_enabled,
        "stdout_syslog": p.stdout_syslog,
        "stderr_logfile": logfile(p.stderr_logfile),
        "stderr_logfile_maxbytes": p.stderr_logfile_maxbytes,
        "stderr_logfile_backups": p.stderr_logfile_backups,
        "stderr_capture_maxbytes": p.stderr_capture_maxbytes,
        "stderr_events_enabled": p.stderr_events_enabled,
        "stderr_syslog": p.stderr_syslog,
        "stopsignal": int(p.stopsignal),
        "stopwaitsecs": p.stopwaitsecs,
        "stopasgroup": p.stopasgroup,
        "killasgroup": p.killasgroup,
        "exitcodes": list(p.exitcodes),
        "redirect_stderr": p.redirect_stderr,
        "serverurl": p.serverurl,
    }


def group(g):
    out = {
        "name": g.name,
        "priority": g.priority,
        "kind": "process",
        "processes": [process(p) for p in g.process_configs],
    }
    if isinstance(g, EventListenerPoolConfig):
        out["kind"] = "eventlistener"
        out["events"] = sorted(getEventNameByType(e) for e in g.pool_events)
        out["buffer_size"] = g.buffer_size
        out["result_handler"] = "%s:%s" % (g.result_handler.__module__, g.result_handler.__name__)
    elif isinstance(g, FastCGIGroupConfig):
        s = g.socket_config
        out["kind"] = "fcgi"
        out["socket"] = {
            "url": s.url,
            "backlog": s.backlog,
            "owner": list(s.owner) if getattr(s, "owner", None) else None,
            "mode": getattr(s, "mode", None),
        }
    return out


def server(c):
    out = {"section": c["section"], "username": c["username"], "password": c["password"]}
    if "file" in c:
        out.update(kind="unix", file=c["file"], chmod=c["chmod"], chown=list(c["chown"]))
    else:
        out.update(kind="inet", host=c["host"], port=c["port"])
    return out


def main(path):
    opts = ServerOptions()
    opts.usage = usage
    try:
        opts.realize(["-c", path], doc="")
    except Usage as e:
        return {"error": str(e)}
    except ValueError as e:
        return {"error": str(e)}
    section = opts.configroot.supervisord
    return {
        "ok": {
            "supervisord": {
                "logfile": opts.logfile,
                "logfile_maxbytes": opts.logfile_maxbytes,
                "logfile_backups": opts.logfile_backups,
                "loglevel": opts.loglevel,
                "pidfile": opts.pidfile,
                "umask": opts.umask,
                "nodaemon": bool(opts.nodaemon),
                "silent": bool(opts.silent),
                "minfds": opts.minfds,
                "minprocs": opts.minprocs,
                "nocleanup": bool(opts.nocleanup),
                "childlogdir": opts.childlogdir,
                "uid": opts.uid,
                "directory": opts.directory,
                "strip_ansi": bool(opts.strip_ansi),
                "environment": section.environment,
                "identifier": opts.identifier,
            },
            "groups": [group(g) for g in opts.process_group_configs],
            "servers": [server(c) for c in opts.server_configs],
            "rpcinterfaces": [
                {"name": name, "options": extras}
                for (name, _factory, extras) in opts.rpcinterface_factories
            ],
            "warnings": opts.parse_warnings,
            "infos": opts.parse_infos,
        }
    }


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1]), sort_keys=True))
