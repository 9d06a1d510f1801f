// Fanvil A12 manual "Network" pages: 9.8 Basic (Table 12; 6.3 default DHCP with the fallback
// static address 192.168.1.128), 9.10 VPN and 9.11 Advanced (Table 14 and the Picture 24
// screenshot, which disagree: garbled place 10; the table's "off by default" wins for QoS, the
// screenshot gives the values the table lacks).
import {
  DSCP,
  FLAG,
  HOST,
  NETMASK,
  NO_DEFAULT,
  PCP,
  choice,
  int,
  ints,
  ipv4,
  mod,
  p,
  secretText,
  text,
  type A12Param,
  type Draft,
} from './catalogue-helpers.js';

const BASIC = '[9.8 Network >> Basic >> Settings]';
const N = 'intercom.network';
const netRows: Draft[] = [
  p('Enable DHCP', FLAG, '1', '6.3, 9.8', `Network mode: DHCP ${BASIC}`, 'DHCP (6.3: enabled by default). With DHCP and PPPoE both off the mode is Static IP. The command mode of 5.2.1 toggles it.', { canonical: `${N}.dhcp` }),
  p('Enable PPPoE', FLAG, '0', '9.8', `Network mode: PPPoE ${BASIC}`, 'PPPoE; account and password from the ISP.', { canonical: `${N}.pppoe` }),
  p('WAN IP', ipv4(true), '192.168.1.128', '6.3, 9.8', `Static IP address ${BASIC}`, 'Static address, also the fallback the command mode switches to (6.3 Table 5: 192.168.1.128).', { canonical: `${N}.staticIp` }),
  p('WAN Subnet Mask', NETMASK, '255.255.255.0', '9.8', `Subnet mask ${BASIC}`, `Static subnet mask. ${NO_DEFAULT}`, { canonical: `${N}.subnetMask` }),
  p('WAN Gateway', ipv4(), '192.168.1.1', '9.8', `Default gateway ${BASIC}`, `Static default gateway. ${NO_DEFAULT}`, { canonical: `${N}.gateway` }),
  p('PPPoE User', text(64), '', '9.8', `PPPoE account ${BASIC}`, 'PPPoE account.'),
  p('PPPoE Password', secretText(64), '', '9.8', `PPPoE password ${BASIC}`, 'PPPoE password.', { secret: true }),
  p('DHCP Auto DNS', choice({ 0: 'Manual', 1: 'DHCP' }), '1', '9.8', `DNS Server Configured by ${BASIC}`, `DNS servers from DHCP, or the two below. ${NO_DEFAULT}`),
  p('Primary DNS', ipv4(), '', '9.8', `Primary DNS Server ${BASIC}`, 'Primary DNS server.'),
  p('Secondary DNS', ipv4(), '', '9.8', `Secondary DNS Server ${BASIC}`, 'Secondary DNS server.'),
  p('DHCP Auto Time', FLAG, '0', '9.20', 'Time Synchronized via DHCP [9.20 Intercom settings >> Time/Date >> Network Time Server Settings]', 'Take the time server and offset from DHCP (options 42, 2/100-101).', { canonical: 'intercom.time.dhcpTime' }),
  p('ARP Cache Life', int(1, 60, 'min'), '2', '9.11', 'ARP Cache Life [9.11 Network >> Advanced]', 'ARP cache lifetime (screenshot: 2 minutes).'),
];

const VPN = '[9.10 Network >> VPN]';
const vpnRows: Draft[] = [
  p('Enable VPN', FLAG, '0', '9.10', `Enable VPN ${VPN}`, 'Connect the VPN at every boot until disabled.'),
  p('VPN mode', choice({ 0: 'L2TP', 1: 'OpenVPN' }), '0', '9.10', `VPN Mode ${VPN}`, `L2TP (unencrypted, basic authentication only) or OpenVPN (files client.ovpn, ca.crt, client.crt, client.key uploaded on the page). ${NO_DEFAULT}`),
  p('L2TP Server Address', HOST, '', '9.10', `L2TP server address ${VPN} >> L2TP`, 'L2TP server.'),
  p('L2TP User Name', text(64), '', '9.10', `Authentication Username ${VPN} >> L2TP`, 'L2TP user.'),
  p('L2TP Password', secretText(64), '', '9.10', `Authentication Password ${VPN} >> L2TP`, 'L2TP password.', { secret: true }),
];

const ADV = '[9.11 Network >> Advanced';
const qosRows: Draft[] = [
  p('LLDP Transmit', FLAG, '1', '9.11', `Enable LLDP ${ADV} >> LLDP Settings]`, 'Send LLDP (screenshot: enabled).'),
  p('LLDP Refresh Time', int(1, 3600, 's'), '60', '9.11', `Packet Interval ${ADV} >> LLDP Settings]`, 'LLDP interval (screenshot: 60 s).'),
  p('LLDP Learn Policy', FLAG, '1', '9.11', `Enable Learning Function ${ADV} >> LLDP Settings]`, 'Learn the VLAN and QoS the switch announces (screenshot: enabled).'),
  p('CDP Enable', FLAG, '0', '9.11', `Enable CDP ${ADV} >> CDP Settings]`, 'Cisco Discovery Protocol (screenshot: disabled).'),
  p('CDP Refresh Time', int(1, 3600, 's'), '60', '9.11', `Packet Interval ${ADV} >> CDP Settings]`, 'CDP interval (screenshot: 60).'),
  p(
    'DHCP Option Vlan',
    ints([
      [0, 0],
      [128, 254],
    ]),
    '0',
    '9.11',
    `Option Value; DHCP Option Vlan ${ADV} >> DHCP VLAN Settings]`,
    'DHCP option 128–254 that carries the VLAN; 0 = disabled (screenshot: Disabled, 0).',
  ),
  p('Enable diffServ', FLAG, '0', '9.11', `Enable DSCP ${ADV} >> QoS Settings]`, 'Mark packets with DSCP (Table 14: off by default; the screenshot shows it on).'),
  p('Voice DSCP', DSCP, '46', '9.11', `Audio DSCP ${ADV} >> QoS Settings]`, 'DSCP of RTP (screenshot: 46).'),
  p('Signalling DSCP', DSCP, '46', '9.11', `Signal DSCP ${ADV} >> QoS Settings]`, 'DSCP of SIP (screenshot: 46; Fanvil exports spell it "Singalling").'),
  p('Video DSCP', DSCP, '46', '9.11', `Video DSCP ${ADV} >> QoS Settings]`, 'DSCP of video RTP (screenshot: 46).'),
  p('Enable VLAN', FLAG, '0', '9.11', `Enable VLAN ${ADV} >> WAN VLAN Settings]`, `Tag WAN traffic with the VLAN ID (the screenshot shows a configured unit). ${NO_DEFAULT}`),
  p('VLAN ID', int(1, 4094), '256', '9.11', `WAN VLAN ID ${ADV} >> WAN VLAN Settings]`, 'WAN VLAN ID (screenshot: 256).'),
  p('Voice Priority', PCP, '0', '9.11', `802.1p Media Priority ${ADV} >> WAN VLAN Settings]`, '802.1p priority of voice (screenshot: 0).'),
  p('Signalling Priority', PCP, '0', '9.11', `802.1p Signal Priority ${ADV} >> WAN VLAN Settings]`, `802.1p priority of SIP. ${NO_DEFAULT}`),
  p('Enable PVID', FLAG, '0', '9.11', `Enable VLAN ${ADV} >> LAN VLAN Settings]`, `Tag LAN port traffic. ${NO_DEFAULT}`),
  p('PVID Value', int(1, 4094), '254', '9.11', `LAN VLAN ID ${ADV} >> LAN VLAN Settings]`, `LAN port VLAN ID. ${NO_DEFAULT}`),
  p('LAN Port Priority', PCP, '0', '9.11', `802.1p Priority ${ADV} >> LAN VLAN Settings]`, `802.1p priority of the LAN port. ${NO_DEFAULT}`),
];

const dot1xRows: Draft[] = [
  p('Xsup Mode', choice({ 0: 'Off', 1: 'EAP-MD5', 2: 'EAP-TLS', 3: 'PEAP-MSCHAPv2' }), '0', '9.11', `802.1x Mode ${ADV} >> 802.1X Settings]`, '802.1X authentication of the port (screenshot: Off).'),
  p('Xsup User', text(64), 'admin', '9.11', `Identity ${ADV} >> 802.1X Settings]`, '802.1X identity (screenshot: admin).'),
  p('Xsup Password', secretText(64), '', '9.11', `Password ${ADV} >> 802.1X Settings]`, '802.1X password.', { secret: true }),
];

export const networkParams: readonly A12Param[] = [
  ...mod('NET CONFIG MODULE', undefined, netRows),
  ...mod('VPN CONFIG MODULE', undefined, vpnRows),
  ...mod('QOS CONFIG MODULE', undefined, qosRows),
  ...mod('DOT1X CONFIG MODULE', undefined, dot1xRows),
];
