// A separate process using the embedded PostgreSQL of a data folder, driven by the test over stdio:
// argv: <dist embedded-postgres.js> <dir> <role>; prints "ready <port>" or "error <code> <message>";
// on the line "release" it releases and prints "released"; on "query" it runs `select 1`.
const [modulePath, dir, role] = process.argv.slice(2);
const { openEmbeddedServer } = await import(modulePath);
let server;
try {
  server = await openEmbeddedServer({ dir, role });
  process.stdout.write(`ready ${server.port}\n`);
} catch (error) {
  process.stdout.write(`error ${error.code ?? 'UNKNOWN'} ${error.message.replaceAll('\n', ' ')}\n`);
  process.exit(0);
}
const { default: pg } = await import('pg');
let buffer = '';
process.stdin.on('data', async (chunk) => {
  buffer += chunk;
  let i;
  while ((i = buffer.indexOf('\n')) >= 0) {
    const line = buffer.slice(0, i).trim();
    buffer = buffer.slice(i + 1);
    if (line === 'release') {
      await server.release();
      process.stdout.write('released\n');
      process.exit(0);
    }
    if (line === 'query') {
      const client = new pg.Client({ connectionString: server.url });
      try {
        await client.connect();
        const { rows } = await client.query('select 1 as one');
        process.stdout.write(`result ${rows[0].one}\n`);
      } catch (error) {
        process.stdout.write(`queryerror ${error.message}\n`);
      } finally {
        await client.end().catch(() => undefined);
      }
    }
  }
});
