/**
 * The sample configuration printed by `echo_supervisord_conf`: every section and option,
 * documented, with the active lines forming a config that both this reader and the real
 * supervisord accept. Commented lines show the defaults (or an example where there is none).
 */
export const SAMPLE_CONFIG = `; Sample supervisor config file.
;
; Values are read with Python ConfigParser rules, so a few things to keep in mind:
;  - "key = value" and "key: value" both work; option names are case-insensitive,
;    section names are not.
;  - A ';' or '#' starts a comment only when preceded by whitespace (or at the
;    start of a line): "a=b;c" keeps ";c", "a=b ;c" does not.
;  - A line indented deeper than the option before it continues that value.
;  - Every value is a Python %-format string: write %% for a literal percent sign.
;    Names you can use include %(here)s (directory of this file), %(ENV_X)s
;    (environment variable X of supervisord), %(host_node_name)s and, in program
;    sections, %(program_name)s, %(group_name)s, %(process_num)d, %(numprocs)d.
;  - Relative paths are resolved against the directory supervisord is started
;    from, not this file's; use %(here)s to anchor them.

[unix_http_server]
file=/tmp/supervisor.sock   ; socket path (supervisorctl talks to it)
;chmod=0700                 ; permission bits of the socket file (default 0700)
;chown=nobody:nogroup       ; owner[:group] of the socket file (default: unchanged)
;username=user              ; HTTP basic auth user (default: no auth)
;password=123               ; its password: cleartext, or {SHA} + hex sha1 digest

;[inet_http_server]         ; TCP server, also serves the web interface (off by default)
;port=127.0.0.1:9001        ; host:port, :port or *:port for all interfaces
;username=user              ; HTTP basic auth user (default: no auth)
;password=123               ; its password: cleartext, or {SHA} + hex sha1 digest

[supervisord]
logfile=/tmp/supervisord.log ; main activity log (default $CWD/supervisord.log)
logfile_maxbytes=50MB        ; rotate the main log at this size; 0 = never (default 50MB)
logfile_backups=10           ; rotated copies kept; 0 = none (default 10)
loglevel=info                ; critical, error, warn, info, debug, trace, blather (default info)
pidfile=/tmp/supervisord.pid ; where the daemon's pid is written (default supervisord.pid)
nodaemon=false               ; true = stay in the foreground (default false)
silent=false                 ; true = in the foreground, do not echo the log to stdout (default false)
minfds=1024                  ; open file descriptors needed to start (default 1024)
minprocs=200                 ; processes needed to start (default 200)
;umask=022                   ; umask of the daemon, applied when daemonizing (default 022)
;user=supervisord            ; switch to this user after startup (default: do not switch)
;identifier=supervisor       ; name of this instance, seen by RPC clients (default supervisor)
;directory=/tmp              ; chdir here when daemonizing (default: do not chdir)
;nocleanup=true              ; keep old AUTO child logs at startup (default false)
;childlogdir=/tmp            ; where AUTO child logs go (default: the system temp dir)
;environment=KEY="value"     ; added to every child's environment (default none)
;strip_ansi=false            ; remove ANSI escape sequences from child logs (default false)

; This section must stay for supervisorctl and the web interface to work: it
; enables the supervisor.* XML-RPC namespace.
[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[supervisorctl]
serverurl=unix:///tmp/supervisor.sock ; same path as [unix_http_server] file
;serverurl=http://127.0.0.1:9001 ; or the [inet_http_server] address
;username=chris              ; must match the server's username
;password=123                ; must match the server's password (cleartext here)
;prompt=mysupervisor         ; prompt of the interactive shell (default "supervisor")
;history_file=~/.sc_history  ; keep a readline history of the shell (default none)

; A program to supervise. Copy the section (one per program) and remove the ';'
; of the lines you need; only "command" is required.

;[program:theprogramname]
;command=/bin/cat              ; the program to run; relative names are searched in PATH
;process_name=%(program_name)s ; name of each process; needs %(process_num)s if numprocs > 1
;numprocs=1                    ; how many copies to run (default 1)
;numprocs_start=0              ; first value of %(process_num)s (default 0)
;directory=/tmp                ; chdir to this directory before exec (default: no chdir)
;umask=022                     ; umask of the process (default: inherited)
;priority=999                  ; lower starts first, stops last (default 999)
;autostart=true                ; start when supervisord starts (default true)
;startsecs=1                   ; seconds it must stay up to count as started (default 1)
;startretries=3                ; failed starts before giving up (FATAL) (default 3)
;autorestart=unexpected        ; restart when it exits: false, unexpected or true (default unexpected)
;exitcodes=0                   ; exit codes that count as expected (default 0)
;stopsignal=QUIT               ; signal sent to stop it: TERM, HUP, INT, QUIT, KILL, USR1, USR2 (default TERM)
;stopwaitsecs=10               ; seconds to wait after stopsignal before SIGKILL (default 10)
;stopasgroup=false             ; send stopsignal to the whole process group (default false)
;killasgroup=false             ; send SIGKILL to the whole process group (default: value of stopasgroup)
;user=chrism                   ; run as this user (supervisord must run as root)
;redirect_stderr=true          ; send stderr to the stdout log (default false)
;stdout_logfile=/a/path        ; stdout log file; AUTO (default) or NONE
;stdout_logfile_maxbytes=1MB   ; rotate at this size; 0 = never (default 50MB)
;stdout_logfile_backups=10     ; rotated copies kept; 0 = none (default 10)
;stdout_capture_maxbytes=1MB   ; capture mode buffer for PROCESS_COMMUNICATION events (default 0 = off)
;stdout_events_enabled=false   ; emit PROCESS_LOG events for stdout (default false)
;stdout_syslog=false           ; also send stdout to syslog (default false)
;stderr_logfile=/a/path        ; stderr log file; AUTO (default) or NONE
;stderr_logfile_maxbytes=1MB   ; rotate at this size; 0 = never (default 50MB)
;stderr_logfile_backups=10     ; rotated copies kept; 0 = none (default 10)
;stderr_capture_maxbytes=1MB   ; capture mode buffer for PROCESS_COMMUNICATION events (default 0 = off)
;stderr_events_enabled=false   ; emit PROCESS_LOG events for stderr (default false)
;stderr_syslog=false           ; also send stderr to syslog (default false)
;environment=A="1",B="2"       ; added to the process environment (quote values with commas)
;serverurl=AUTO                ; SUPERVISOR_SERVER_URL given to the process (default AUTO)

; An event listener pool: its processes read events on stdin and answer on stdout.
; It takes every [program:x] option except redirect_stderr=true, plus the ones below.

;[eventlistener:theeventlistenername]
;command=/bin/eventlistener    ; the listener program (required)
;events=EVENT                  ; event types to subscribe to, comma-separated (required)
;buffer_size=10                ; events queued for the pool before the oldest is dropped (default 10)
;result_handler=supervisor.dispatchers:default_handler ; how replies are read (default shown)
;process_name=%(program_name)s ; as for a program
;numprocs=1                    ; listeners in the pool (default 1)
;priority=-1                   ; pool priority (default -1: started first, stopped last)
;autostart=true                ; start when supervisord starts (default true)
;autorestart=unexpected        ; restart when it exits: false, unexpected or true (default unexpected)
;stdout_logfile=/a/path        ; stdout carries the protocol: it is not captured in events
;stderr_logfile=/a/path        ; stderr log file; AUTO (default) or NONE

; A FastCGI program: supervisord owns the listening socket and passes it to every
; process as file descriptor 0. It takes every [program:x] option, plus these.

;[fcgi-program:thefcgiprogramname]
;command=/usr/bin/php-cgi      ; the FastCGI program (required)
;socket=unix:///tmp/%(program_name)s.sock ; or tcp://127.0.0.1:9000 (required)
;socket_backlog=128            ; listen() backlog (default: the system's SOMAXCONN)
;socket_owner=chrism           ; owner[:group] of a unix socket (default: the program's user)
;socket_mode=0700              ; permission bits of a unix socket (default 0700)
;process_name=%(program_name)s_%(process_num)02d ; as for a program
;numprocs=5                    ; processes sharing the socket (default 1)

; A group puts several programs under one name (start mygroup:*), ordered by its
; own priority.

;[group:thegroupname]
;programs=progname1,progname2  ; [program:x] or [fcgi-program:x] names (required)
;priority=999                  ; group priority (default 999)

; Read more configuration from other files. Patterns are relative to the
; directory of this file; matches are read in sorted order.

;[include]
;files=relative/directory/*.ini conf.d/*.conf ; whitespace-separated patterns
`;
