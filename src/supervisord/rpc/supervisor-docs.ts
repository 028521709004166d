/**
 * Metadata of every supervisor.* method (spec §8.5): the documentation each method reports through system.methodHelp,
 * the signature system.methodSignature derives from its @param/@return lines, and the number of
 * arguments the Python method accepts (min = required, max = with defaults). Taken verbatim
 * from the real supervisord 4.2.5 (test/unit/rpc-docs.test.ts checks it against the daemon).
 */
import type { MethodDoc } from "./method-doc.js";

export const SUPERVISOR_METHOD_DOCS: Readonly<Record<string, MethodDoc>> = {
  addProcessGroup: {
    signature: ["boolean","string"],
    arity: { min: 1, max: 1 },
    paramNames: ["name"],
    help: " Update the config for a running process from config file.\n\n        @param string name         name of process group to add\n        @return boolean result     true if successful\n        ",
  },
  clearAllProcessLogs: {
    signature: ["array"],
    arity: { min: 0, max: 0 },
    paramNames: [],
    help: " Clear all process log files\n\n        @return array result   An array of process status info structs\n        ",
  },
  clearLog: {
    signature: ["boolean"],
    arity: { min: 0, max: 0 },
    paramNames: [],
    help: " Clear the main log.\n\n        @return boolean result always returns True unless error\n        ",
  },
  clearProcessLog: {
    signature: ["boolean","string"],
    arity: { min: 1, max: 1 },
    paramNames: ["name"],
    help: " Clear the stdout and stderr logs for the named process and\n        reopen them.\n\n        @param string name   The name of the process (or 'group:name')\n        @return boolean result      Always True unless error\n        ",
  },
  clearProcessLogs: {
    signature: ["boolean","string"],
    arity: { min: 1, max: 1 },
    paramNames: ["name"],
    help: " Clear the stdout and stderr logs for the named process and\n        reopen them.\n\n        @param string name   The name of the process (or 'group:name')\n        @return boolean result      Always True unless error\n        ",
  },
  getAPIVersion: {
    signature: ["string"],
    arity: { min: 0, max: 0 },
    paramNames: [],
    help: " Return the version of the RPC API used by supervisord\n\n        @return string version id\n        ",
  },
  getAllConfigInfo: {
    signature: ["array"],
    arity: { min: 0, max: 0 },
    paramNames: [],
    help: " Get info about all available process configurations. Each struct\n        represents a single process (i.e. groups get flattened).\n\n        @return array result  An array of process config info structs\n        ",
  },
  getAllProcessInfo: {
    signature: ["array"],
    arity: { min: 0, max: 0 },
    paramNames: [],
    help: " Get info about all processes\n\n        @return array result  An array of process status results\n        ",
  },
  getIdentification: {
    signature: ["string"],
    arity: { min: 0, max: 0 },
    paramNames: [],
    help: " Return identifying string of supervisord\n\n        @return string identifier identifying string\n        ",
  },
  getPID: {
    signature: ["int"],
    arity: { min: 0, max: 0 },
    paramNames: [],
    help: " Return the PID of supervisord\n\n        @return int PID\n        ",
  },
  getProcessInfo: {
    signature: ["struct","string"],
    arity: { min: 1, max: 1 },
    paramNames: ["name"],
    help: " Get info about a process named name\n\n        @param string name The name of the process (or 'group:name')\n        @return struct result     A structure containing data about the process\n        ",
  },
  getState: {
    signature: ["struct"],
    arity: { min: 0, max: 0 },
    paramNames: [],
    help: " Return current state of supervisord as a struct\n\n        @return struct A struct with keys int statecode, string statename\n        ",
  },
  getSupervisorVersion: {
    signature: ["string"],
    arity: { min: 0, max: 0 },
    paramNames: [],
    help: " Return the version of the supervisor package in use by supervisord\n\n        @return string version id\n        ",
  },
  getVersion: {
    signature: ["string"],
    arity: { min: 0, max: 0 },
    paramNames: [],
    help: " Return the version of the RPC API used by supervisord\n\n        @return string version id\n        ",
  },
  readLog: {
    signature: ["string","int","int"],
    arity: { min: 2, max: 2 },
    paramNames: ["offset","length"],
    help: " Read length bytes from the main log starting at offset\n\n        @param int offset         offset to start reading from.\n        @param int length         number of bytes to read from the log.\n        @return string result     Bytes of log\n        ",
  },
  readMainLog: {
    signature: ["string","int","int"],
    arity: { min: 2, max: 2 },
    paramNames: ["offset","length"],
    help: " Read length bytes from the main log starting at offset\n\n        @param int offset         offset to start reading from.\n        @param int length         number of bytes to read from the log.\n        @return string result     Bytes of log\n        ",
  },
  readProcessLog: {
    signature: ["string","string","int","int"],
    arity: { min: 3, max: 3 },
    paramNames: ["name","offset","length"],
    help: " Read length bytes from name's stdout log starting at offset\n\n        @param string name        the name of the process (or 'group:name')\n        @param int offset         offset to start reading from.\n        @param int length         number of bytes to read from the log.\n        @return string result     Bytes of log\n        ",
  },
  readProcessStderrLog: {
    signature: ["string","string","int","int"],
    arity: { min: 3, max: 3 },
    paramNames: ["name","offset","length"],
    help: " Read length bytes from name's stderr log starting at offset\n\n        @param string name        the name of the process (or 'group:name')\n        @param int offset         offset to start reading from.\n        @param int length         number of bytes to read from the log.\n        @return string result     Bytes of log\n        ",
  },
  readProcessStdoutLog: {
    signature: ["string","string","int","int"],
    arity: { min: 3, max: 3 },
    paramNames: ["name","offset","length"],
    help: " Read length bytes from name's stdout log starting at offset\n\n        @param string name        the name of the process (or 'group:name')\n        @param int offset         offset to start reading from.\n        @param int length         number of bytes to read from the log.\n        @return string result     Bytes of log\n        ",
  },
  reloadConfig: {
    signature: ["array"],
    arity: { min: 0, max: 0 },
    paramNames: [],
    help: "\n        Reload the configuration.\n\n        The result contains three arrays containing names of process\n        groups:\n\n        * `added` gives the process groups that have been added\n        * `changed` gives the process groups whose contents have\n          changed\n        * `removed` gives the process groups that are no longer\n          in the configuration\n\n        @return array result  [[added, changed, removed]]\n\n        ",
  },
  removeProcessGroup: {
    signature: ["boolean","string"],
    arity: { min: 1, max: 1 },
    paramNames: ["name"],
    help: " Remove a stopped process from the active configuration.\n\n        @param string name         name of process group to remove\n        @return boolean result     Indicates whether the removal was successful\n        ",
  },
  restart: {
    signature: ["boolean"],
    arity: { min: 0, max: 0 },
    paramNames: [],
    help: " Restart the supervisor process\n\n        @return boolean result  always return True unless error\n        ",
  },
  sendProcessStdin: {
    signature: ["boolean","string","string"],
    arity: { min: 2, max: 2 },
    paramNames: ["name","chars"],
    help: " Send a string of chars to the stdin of the process name.\n        If non-7-bit data is sent (unicode), it is encoded to utf-8\n        before being sent to the process' stdin.  If chars is not a\n        string or is not unicode, raise INCORRECT_PARAMETERS.  If the\n        process is not running, raise NOT_RUNNING.  If the process'\n        stdin cannot accept input (e.g. it was closed by the child\n        process), raise NO_FILE.\n\n        @param string name        The process name to send to (or 'group:name')\n        @param string chars       The character data to send to the process\n        @return boolean result    Always return True unless error\n        ",
  },
  sendRemoteCommEvent: {
    signature: ["boolean","string","string"],
    arity: { min: 2, max: 2 },
    paramNames: ["type","data"],
    help: " Send an event that will be received by event listener\n        subprocesses subscribing to the RemoteCommunicationEvent.\n\n        @param  string  type  String for the \"type\" key in the event header\n        @param  string  data  Data for the event body\n        @return boolean       Always return True unless error\n        ",
  },
  shutdown: {
    signature: ["boolean"],
    arity: { min: 0, max: 0 },
    paramNames: [],
    help: " Shut down the supervisor process\n\n        @return boolean result always returns True unless error\n        ",
  },
  signalAllProcesses: {
    signature: ["array","string"],
    arity: { min: 1, max: 1 },
    paramNames: ["signal"],
    help: " Send a signal to all processes in the process list\n\n        @param string signal  Signal to send, as name ('HUP') or number ('1')\n        @return array         An array of process status info structs\n        ",
  },
  signalProcess: {
    signature: ["boolean","string","string"],
    arity: { min: 2, max: 2 },
    paramNames: ["name","signal"],
    help: " Send an arbitrary UNIX signal to the process named by name\n\n        @param string name    Name of the process to signal (or 'group:name')\n        @param string signal  Signal to send, as name ('HUP') or number ('1')\n        @return boolean\n        ",
  },
  signalProcessGroup: {
    signature: ["array","string","string"],
    arity: { min: 2, max: 2 },
    paramNames: ["name","signal"],
    help: " Send a signal to all processes in the group named 'name'\n\n        @param string name    The group name\n        @param string signal  Signal to send, as name ('HUP') or number ('1')\n        @return array\n        ",
  },
  startAllProcesses: {
    signature: ["array","boolean"],
    arity: { min: 0, max: 1 },
    paramNames: ["wait"],
    help: " Start all processes listed in the configuration file\n\n        @param boolean wait    Wait for each process to be fully started\n        @return array result   An array of process status info structs\n        ",
  },
  startProcess: {
    signature: ["boolean","string","boolean"],
    arity: { min: 1, max: 2 },
    paramNames: ["name","wait"],
    help: " Start a process\n\n        @param string name Process name (or ``group:name``, or ``group:*``)\n        @param boolean wait Wait for process to be fully started\n        @return boolean result     Always true unless error\n\n        ",
  },
  startProcessGroup: {
    signature: ["array","string","boolean"],
    arity: { min: 1, max: 2 },
    paramNames: ["name","wait"],
    help: " Start all processes in the group named 'name'\n\n        @param string name     The group name\n        @param boolean wait    Wait for each process to be fully started\n        @return array result   An array of process status info structs\n        ",
  },
  stopAllProcesses: {
    signature: ["array","boolean"],
    arity: { min: 0, max: 1 },
    paramNames: ["wait"],
    help: " Stop all processes in the process list\n\n        @param  boolean wait   Wait for each process to be fully stopped\n        @return array result   An array of process status info structs\n        ",
  },
  stopProcess: {
    signature: ["boolean","string","boolean"],
    arity: { min: 1, max: 2 },
    paramNames: ["name","wait"],
    help: " Stop a process named by name\n\n        @param string name  The name of the process to stop (or 'group:name')\n        @param boolean wait        Wait for the process to be fully stopped\n        @return boolean result     Always return True unless error\n        ",
  },
  stopProcessGroup: {
    signature: ["array","string","boolean"],
    arity: { min: 1, max: 2 },
    paramNames: ["name","wait"],
    help: " Stop all processes in the process group named 'name'\n\n        @param string name     The group name\n        @param boolean wait    Wait for each process to be fully stopped\n        @return array result   An array of process status info structs\n        ",
  },
  tailProcessLog: {
    signature: ["array","string","int","int"],
    arity: { min: 3, max: 3 },
    paramNames: ["name","offset","length"],
    help: "\n        Provides a more efficient way to tail the (stdout) log than\n        readProcessStdoutLog().  Use readProcessStdoutLog() to read\n        chunks and tailProcessStdoutLog() to tail.\n\n        Requests (length) bytes from the (name)'s log, starting at\n        (offset).  If the total log size is greater than (offset +\n        length), the overflow flag is set and the (offset) is\n        automatically increased to position the buffer at the end of\n        the log.  If less than (length) bytes are available, the\n        maximum number of available bytes will be returned.  (offset)\n        returned is always the last offset in the log +1.\n\n        @param string name         the name of the process (or 'group:name')\n        @param int offset          offset to start reading from\n        @param int length          maximum number of bytes to return\n        @return array result       [string bytes, int offset, bool overflow]\n        ",
  },
  tailProcessStderrLog: {
    signature: ["array","string","int","int"],
    arity: { min: 3, max: 3 },
    paramNames: ["name","offset","length"],
    help: "\n        Provides a more efficient way to tail the (stderr) log than\n        readProcessStderrLog().  Use readProcessStderrLog() to read\n        chunks and tailProcessStderrLog() to tail.\n\n        Requests (length) bytes from the (name)'s log, starting at\n        (offset).  If the total log size is greater than (offset +\n        length), the overflow flag is set and the (offset) is\n        automatically increased to position the buffer at the end of\n        the log.  If less than (length) bytes are available, the\n        maximum number of available bytes will be returned.  (offset)\n        returned is always the last offset in the log +1.\n\n        @param string name         the name of the process (or 'group:name')\n        @param int offset          offset to start reading from\n        @param int length          maximum number of bytes to return\n        @return array result       [string bytes, int offset, bool overflow]\n        ",
  },
  tailProcessStdoutLog: {
    signature: ["array","string","int","int"],
    arity: { min: 3, max: 3 },
    paramNames: ["name","offset","length"],
    help: "\n        Provides a more efficient way to tail the (stdout) log than\n        readProcessStdoutLog().  Use readProcessStdoutLog() to read\n        chunks and tailProcessStdoutLog() to tail.\n\n        Requests (length) bytes from the (name)'s log, starting at\n        (offset).  If the total log size is greater than (offset +\n        length), the overflow flag is set and the (offset) is\n        automatically increased to position the buffer at the end of\n        the log.  If less than (length) bytes are available, the\n        maximum number of available bytes will be returned.  (offset)\n        returned is always the last offset in the log +1.\n\n        @param string name         the name of the process (or 'group:name')\n        @param int offset          offset to start reading from\n        @param int length          maximum number of bytes to return\n        @return array result       [string bytes, int offset, bool overflow]\n        ",
  },
};
