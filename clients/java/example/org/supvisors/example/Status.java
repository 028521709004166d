package org.supvisors.example;

import java.net.MalformedURLException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.supvisors.common.SupvisorsApplicationInfo;
import org.supvisors.common.SupvisorsIdentifier;
import org.supvisors.common.SupvisorsInstanceInfo;
import org.supvisors.common.SupvisorsProcessInfo;
import org.supvisors.common.SupvisorsStatus;
import org.supvisors.rpc.SupervisorXmlRpcClient;
import org.supvisors.rpc.SupervisorXmlRpcException;
import org.supvisors.rpc.SupvisorsXmlRpc;

/**
 * The jar's command: prints the cluster as one Supvisors instance sees it.
 *
 *   java -jar supvisors-client.jar status [-s URL] [-u USER] [-p PASSWORD]
 *
 * URL is http://HOST:PORT (default http://localhost:9001) or unix:///path/to/socket.
 * Exit status: 0, 1 when the instance cannot be reached or refuses, 2 for a usage error.
 */
public final class Status {

    private static final String USAGE = "usage: java -jar supvisors-client.jar status [-s URL] [-u USER] [-p PASSWORD]";

    private Status() {
    }

    public static void main(final String[] args) {
        String url = "http://localhost:9001";
        String user = "";
        String password = "";
        String command = null;
        for (int i = 0; i < args.length; i++) {
            final String arg = args[i];
            if (arg.equals("-h") || arg.equals("--help")) {
                System.out.println(USAGE);
                return;
            }
            if ((arg.equals("-s") || arg.equals("-u") || arg.equals("-p")) && i + 1 < args.length) {
                final String value = args[++i];
                if (arg.equals("-s")) url = value;
                else if (arg.equals("-u")) user = value;
                else password = value;
            } else if (command == null && !arg.startsWith("-")) {
                command = arg;
            } else {
                usage("unexpected argument: " + arg);
            }
        }
        if (!"status".equals(command)) usage(command == null ? "no command" : "unknown command: " + command);
        try {
            print(new SupvisorsXmlRpc(connect(url, user, password)));
        } catch (SupervisorXmlRpcException exc) {
            System.err.println("error: " + url + ": " + describe(exc));
            System.exit(1);
        }
    }

    private static void usage(final String why) {
        System.err.println(why);
        System.err.println(USAGE);
        System.exit(2);
    }

    private static String describe(final SupervisorXmlRpcException exc) {
        if (exc.isFault()) return "fault " + exc.getCode() + ": " + exc.getMessage();
        if (exc.getHttpStatus() != 0) return "HTTP " + exc.getHttpStatus() + " (" + exc.getMessage() + ")";
        return exc.getMessage();
    }

    private static SupervisorXmlRpcClient connect(final String url, final String user, final String password) {
        try {
            if (url.startsWith("unix://")) {
                return SupervisorXmlRpcClient.unixSocket(Path.of(url.substring("unix://".length())), user, password);
            }
            final URI uri = URI.create(url);
            if (!"http".equals(uri.getScheme()) || uri.getHost() == null) usage("URL must be http://HOST:PORT or unix:///PATH: " + url);
            final int port = uri.getPort() < 0 ? 80 : uri.getPort();
            return new SupervisorXmlRpcClient(uri.getHost(), port, user, password);
        } catch (IllegalArgumentException | MalformedURLException exc) {
            usage("bad URL " + url + ": " + exc.getMessage());
            return null;
        }
    }

    private static void print(final SupvisorsXmlRpc supvisors) throws SupervisorXmlRpcException {
        final SupvisorsStatus state = supvisors.getSupvisorsState();
        final SupvisorsIdentifier master = supvisors.getMasterIdentifier();
        final String masterName = master == null || master.getIdentifier() == null || master.getIdentifier().isEmpty() ? "none" : master.getNickIdentifier();
        System.out.println("Supvisors " + state.getState() + "   master: " + masterName);
        System.out.println();

        final Map<String, SupvisorsInstanceInfo> instances = new TreeMap<String, SupvisorsInstanceInfo>(supvisors.getAllInstancesInfo());
        final List<String[]> rows = new ArrayList<String[]>();
        rows.add(new String[] {"INSTANCE", "NODE", "PORT", "STATE", "LOAD", "FAILURE"});
        final Map<String, String> nicks = new HashMap<String, String>();
        for (SupvisorsInstanceInfo info : instances.values()) {
            nicks.put(info.getIdentifier(), info.getNickIdentifier());
            rows.add(new String[] {info.getNickIdentifier(), info.getNodeName(), String.valueOf(info.getPort()), String.valueOf(info.getState()), info.getLoading() + "%", Boolean.TRUE.equals(info.hasProcessFailure()) ? "yes" : ""});
        }
        table(rows, "");
        System.out.println();

        final Map<String, SupvisorsApplicationInfo> applications = new TreeMap<String, SupvisorsApplicationInfo>(supvisors.getAllApplicationInfo());
        final Map<String, List<SupvisorsProcessInfo>> byApplication = new HashMap<String, List<SupvisorsProcessInfo>>();
        for (SupvisorsProcessInfo info : new TreeMap<String, SupvisorsProcessInfo>(supvisors.getAllProcessInfo()).values()) {
            byApplication.computeIfAbsent(info.getApplicationName(), k -> new ArrayList<SupvisorsProcessInfo>()).add(info);
        }
        for (SupvisorsApplicationInfo app : applications.values()) {
            final String failure = Boolean.TRUE.equals(app.hasMajorFailure()) ? "  major failure" : Boolean.TRUE.equals(app.hasMinorFailure()) ? "  minor failure" : "";
            System.out.println(app.getApplicationName() + "  " + app.getState() + (Boolean.TRUE.equals(app.isManaged()) ? "" : "  (not managed)") + failure);
            final List<String[]> processes = new ArrayList<String[]>();
            for (SupvisorsProcessInfo info : byApplication.getOrDefault(app.getApplicationName(), new ArrayList<SupvisorsProcessInfo>())) {
                final List<?> where = info.getIdentifiers();
                processes.add(new String[] {info.getName(), String.valueOf(info.getState()), where == null || where.isEmpty() ? "-" : String.join(",", nicksOf(where, nicks))});
            }
            table(processes, "    ");
        }
    }

    /** The instances where a process runs, by their nicknames (their identifiers when unknown). */
    private static List<String> nicksOf(final List<?> identifiers, final Map<String, String> nicks) {
        final List<String> out = new ArrayList<String>();
        for (Object identifier : identifiers) out.add(nicks.getOrDefault(String.valueOf(identifier), String.valueOf(identifier)));
        return out;
    }

    /** Left-aligned columns, two spaces apart. */
    private static void table(final List<String[]> rows, final String indent) {
        if (rows.isEmpty()) return;
        final int[] width = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) width[i] = Math.max(width[i], row[i] == null ? 4 : row[i].length());
        }
        for (String[] row : rows) {
            final StringBuilder line = new StringBuilder(indent);
            for (int i = 0; i < row.length; i++) {
                final String cell = row[i] == null ? "null" : row[i];
                line.append(cell);
                if (i < row.length - 1) line.append(" ".repeat(width[i] - cell.length() + 2));
            }
            System.out.println(line.toString().replaceAll("\\s+$", ""));
        }
    }
}
