"""Bench scenario 15: a stand-in for Supvisors' `supvisorsflask` in front of the real supervisord.

Written for the benchmark (no Supvisors code in it), shaped like Supvisors 0.19's Flask app: before
every request it opens a new XML-RPC proxy to the instance and asks for a version (Supvisors asks
`supvisors.get_api_version`; a plain supervisord has no `supvisors` namespace, so
`supervisor.getAPIVersion`, a call as small, stands in), then makes the request's call and returns
`jsonify(result)`. It runs on Flask's own server (`app.run`), as `supvisorsflask` does.

    python3 flask-proxy.py SUPERVISOR_URL HOST PORT     # SUPERVISOR_URL: http://127.0.0.1:9001
"""
import sys
import xmlrpc.client

from flask import Flask, g, jsonify

URL = sys.argv[1].rstrip("/") + "/RPC2"
app = Flask("bench-flask-proxy")


@app.before_request
def open_proxy():
    g.proxy = xmlrpc.client.ServerProxy(URL)
    g.version = g.proxy.supervisor.getAPIVersion()


@app.get("/supervisor/getState")
def get_state():
    return jsonify(g.proxy.supervisor.getState())


@app.get("/supervisor/getAllProcessInfo")
def get_all_process_info():
    return jsonify(g.proxy.supervisor.getAllProcessInfo())


if __name__ == "__main__":
    app.run(host=sys.argv[2], port=int(sys.argv[3]))
