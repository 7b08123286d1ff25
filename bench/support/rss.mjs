// Runs the prodx CLI in this process and prints its peak resident set size (KiB) on stderr at
// exit, so a benchmark can quote the memory a command needed: `node bench/support/rss.mjs rum report …`.
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/prodx.js', import.meta.url));
process.argv = [process.argv[0], bin, ...process.argv.slice(2)];
process.on('exit', () => process.stderr.write(`\nmaxRSS ${process.resourceUsage().maxRSS}\n`));
await import(bin);
