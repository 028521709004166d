/**
 * echo_supervisord_conf: print a complete, commented sample supervisord.conf on stdout
 * (usual use: `echo_supervisord_conf > /etc/supervisord.conf`).
 */
import { SAMPLE_CONFIG } from "../supervisord/config/sample.js";

process.stdout.write(SAMPLE_CONFIG);
