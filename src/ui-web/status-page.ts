// The web UI's landing page: the Status tab's Version Information and Network Status
// (KX-UT670 4.3.1, 4.3.2; A12 9.2 System >> Information), readable by User and Administrator.
// The full admin UI of Section 4 / A12 Section 9 builds on this server.
import type { DeviceInfo } from './device-api.js';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function macWithSeparators(mac: string, separator: string): string {
  return mac.match(/../g)!.join(separator);
}

export function renderStatusPage(info: DeviceInfo, account: { id: string; role: string }): string {
  const rows: Array<[string, string]> = [
    ['Model', `${info.vendor} ${info.model}`],
    ['Firmware Version', info.firmware],
    ['MAC Address', macWithSeparators(info.mac, info.vendor === 'Panasonic' ? '-' : ':')],
    ['Connection Mode', 'Static'],
    ['IP Address', info.address.ip],
    ['SIP Port', String(info.address.sipPort)],
    ['Lines', `${info.lines}${info.ipDirectCalls ? ' + IP direct calls' : ''}`],
    ['Uptime', `${info.uptimeS} s`],
  ];
  const table = rows.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('\n');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(info.model)} Status</title>
<style>body{font-family:sans-serif;margin:2em}th{text-align:left;padding-right:2em}</style></head>
<body>
<h1>${escapeHtml(info.vendor)} ${escapeHtml(info.model)}</h1>
<p>Logged in as ${escapeHtml(account.id)} (${escapeHtml(account.role)})</p>
<h2>Status</h2>
<table>
${table}
</table>
<p>Control API: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a> (administrator account)</p>
</body></html>
`;
}
