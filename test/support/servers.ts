// Real traffic routers for tests: nginx and HAProxy started in the foreground as our children,
// each with its own prefix/config/pid on free loopback ports, and stopped without orphans.
// Shared by the router integration tests and the deploy end-to-end tests.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, portAccepts, startServerProcess, type ServerProcess } from './load.js';

export const NGINX = existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx';
export const HAPROXY = existsSync('/usr/sbin/haproxy') ? '/usr/sbin/haproxy' : 'haproxy';
/** worker_processes in nginxConf: once the master has exactly this many children, old workers are gone */
export const NGINX_WORKERS = 2;

export function nginxConf(prefix: string, port: number, upstreamFile: string): string {
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `${t}_temp_path ${prefix}/tmp/${t};`).join(' ');
  return `daemon off;
worker_processes ${NGINX_WORKERS};
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log notice;
worker_shutdown_timeout 10s;
events { worker_connections 1024; }
http {
  access_log off;
  ${temp}
  keepalive_timeout 65s;
  keepalive_requests 100000;
  include ${upstreamFile};
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://weather;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
`;
}

export interface Nginx extends ServerProcess {
  port: number;
}

/** nginx in the foreground; the pid file naming our child proves the port is really ours. */
export async function startNginx(prefix: string, conf: string, upstreamFile: string): Promise<Nginx> {
  let port = 0;
  const server = await startServerProcess(
    'nginx',
    async () => {
      port = await freePort();
      writeFileSync(conf, nginxConf(prefix, port, upstreamFile));
      const pidFile = join(prefix, 'nginx.pid');
      const ready = async (pid: number) =>
        existsSync(pidFile) && Number(readFileSync(pidFile, 'utf8')) === pid && (await portAccepts(port));
      return { argv: [NGINX, '-p', prefix, '-c', conf], ready };
    },
    /Address already in use/,
  );
  return { ...server, port };
}

/** How many reloads (SIGHUP) nginx has logged in its prefix's error.log. */
export function nginxReloadsLogged(prefix: string): number {
  return (readFileSync(join(prefix, 'error.log'), 'utf8').match(/signal 1 \(SIGHUP\) received/g) ?? []).length;
}

/**
 * Writes a script that appends a line to `log` and then runs the rest of its argv: put it in
 * front of a reload command to count how often it runs. Returns the argv prefix to use.
 */
export function reloadCounter(dir: string, log: string): { argv: string[]; count: () => number } {
  const script = join(dir, 'count-reload.mjs');
  writeFileSync(
    script,
    `import { appendFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
const [log, cmd, ...args] = process.argv.slice(2);
appendFileSync(log, 'reload\\n');
const r = spawnSync(cmd, args, { stdio: 'inherit' });
process.exit(r.status ?? 1);
`,
  );
  return {
    argv: [process.execPath, script, log],
    count: () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean).length : 0),
  };
}

export function haproxyConf(dir: string, port: number, adminPort: number, blue: { port: number }, green: { port: number }): string {
  return `global
  stats socket ${dir}/admin.sock mode 600 level admin
  stats socket 127.0.0.1:${adminPort} level admin
defaults
  mode http
  option http-keep-alive
  timeout connect 2s
  timeout client 30s
  timeout server 30s
  timeout http-keep-alive 30s
frontend www
  bind 127.0.0.1:${port}
  default_backend weather
backend weather
  balance roundrobin
  server blue 127.0.0.1:${blue.port} weight 100
  server green 127.0.0.1:${green.port} weight 0
`;
}

export interface Haproxy extends ServerProcess {
  port: number;
  adminPort: number;
  /** the UNIX admin socket (level admin) */
  socket: string;
}

/** HAProxy in the foreground (-db), backend "weather" with servers blue (weight 100) and green (0). */
export async function startHaproxy(dir: string, blue: { port: number }, green: { port: number }): Promise<Haproxy> {
  let [port, adminPort] = [0, 0];
  const socket = join(dir, 'admin.sock');
  const server = await startServerProcess(
    'haproxy',
    async () => {
      [port, adminPort] = [await freePort(), await freePort()];
      const cfg = join(dir, 'haproxy.cfg');
      writeFileSync(cfg, haproxyConf(dir, port, adminPort, blue, green));
      const ready = async () => (await portAccepts(port)) && (await portAccepts(adminPort)) && existsSync(socket);
      // -db: stay in the foreground as our child, so stopping it is a plain signal
      return { argv: [HAPROXY, '-f', cfg, '-db'], ready };
    },
    /cannot bind|Address already in use/i,
  );
  return { ...server, port, adminPort, socket };
}
