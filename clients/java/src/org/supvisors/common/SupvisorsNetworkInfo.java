package org.supvisors.common;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The network of the host of a Supvisors instance (get_network_info, spec 5.2 NetworkInfo). */
public class SupvisorsNetworkInfo implements SupvisorsAnyInfo {

    /** A network interface: its name, IPv4 address and netmask. */
    public class NicInformation {

        private String nic_name;
        private String ipv4_address;
        private String netmask;

        public NicInformation(HashMap info) {
            this.nic_name = Values.text(info, "nic_name");
            this.ipv4_address = Values.text(info, "ipv4_address");
            this.netmask = Values.text(info, "netmask");
        }

        public String getNicName() {
            return this.nic_name;
        }

        public String getIpv4Address() {
            return this.ipv4_address;
        }

        public String getNetmask() {
            return this.netmask;
        }

        public String toString() {
            return "NicInformation(nicName=" + this.nic_name
                + " ipv4Address=" + this.ipv4_address
                + " netmask=" + this.netmask + ")";
        }
    }

    /** What the host resolver says of the address of a network interface. */
    public class NetworkAddress {

        private String host_name;
        private List<String> aliases;
        private List<String> ipv4_addresses;
        private NicInformation nic_info;

        public NetworkAddress(HashMap info) {
            this.host_name = Values.text(info, "host_name");
            this.aliases = Values.strings(info, "aliases");
            this.ipv4_addresses = Values.strings(info, "ipv4_addresses");
            final HashMap<?, ?> nic = Values.struct(info, "nic_info");
            this.nic_info = nic == null ? null : new NicInformation(nic);
        }

        public String getHostName() {
            return this.host_name;
        }

        public List<String> getAliases() {
            return this.aliases;
        }

        public List<String> getIpv4Addresses() {
            return this.ipv4_addresses;
        }

        public NicInformation getNicInfo() {
            return this.nic_info;
        }

        public String toString() {
            return "NetworkAddress(hostName=" + this.host_name
                + " aliases=" + this.aliases
                + " ipv4Addresses=" + this.ipv4_addresses
                + " nicInfo=" + this.nic_info + ")";
        }
    }

    /** The host: its machine id, its fully qualified name and its addresses by interface name. */
    public class LocalNetwork {

        private String machine_id;
        private String fqdn;
        private HashMap<String, NetworkAddress> addresses;

        public LocalNetwork(HashMap info) {
            this.machine_id = Values.text(info, "machine_id");
            this.fqdn = Values.text(info, "fqdn");
            final HashMap<?, ?> all = Values.struct(info, "addresses");
            if (all != null) {
                this.addresses = new LinkedHashMap<String, NetworkAddress>();
                for (Map.Entry<?, ?> entry : all.entrySet()) {
                    if (entry.getValue() instanceof HashMap) {
                        this.addresses.put(String.valueOf(entry.getKey()), new NetworkAddress((HashMap) entry.getValue()));
                    }
                }
            }
        }

        public String getMachineId() {
            return this.machine_id;
        }

        public String getFqdn() {
            return this.fqdn;
        }

        public HashMap<String, NetworkAddress> getAddresses() {
            return this.addresses;
        }

        public String toString() {
            return "LocalNetwork(machineId=" + this.machine_id
                + " fqdn=" + this.fqdn
                + " addresses=" + this.addresses + ")";
        }
    }

    private SupvisorsIdentifier identifier;
    private String host_id;
    private Integer http_port;
    private List<String> stereotypes;
    private LocalNetwork network;

    public SupvisorsNetworkInfo(HashMap info) {
        this.identifier = new SupvisorsIdentifier(info);
        this.host_id = Values.text(info, "host_id");
        this.http_port = Values.integer(info, "http_port");
        this.stereotypes = Values.strings(info, "stereotypes");
        final HashMap<?, ?> net = Values.struct(info, "network");
        this.network = net == null ? null : new LocalNetwork(net);
    }

    /** @return the identifier of the instance. */
    public String getName() {
        return this.identifier.getIdentifier();
    }

    public SupvisorsIdentifier getIdentifier() {
        return this.identifier;
    }

    /** @return its configured host_id. */
    public String getHostId() {
        return this.host_id;
    }

    public Integer getHttpPort() {
        return this.http_port;
    }

    /** @return its stereotypes. */
    public List<String> getStereotypes() {
        return this.stereotypes;
    }

    /** @return the network of its host, null when not known. */
    public LocalNetwork getNetwork() {
        return this.network;
    }

    public String toString() {
        return "SupvisorsNetworkInfo(identifier=" + this.identifier
            + " hostId=" + this.host_id
            + " httpPort=" + this.http_port
            + " stereotypes=" + this.stereotypes
            + " network=" + this.network + ")";
    }
}
