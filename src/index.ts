// Start-up: config → database → http server; nothing else.
import { loadConfig, loadEnvFile, ConfigError } from "./config";
import { openDatabase } from "./db/data-source";
import { createApp } from "./app";
import { createHttpServer } from "./http-server";
import { loadDemoDataIfEmpty } from "./services/demo-data";

async function main(): Promise<void> {
  loadEnvFile();
  // `npm start` passes --demo: DEMO=1 unless the environment sets DEMO.
  const config = loadConfig(
    process.argv.includes("--demo") && !process.env.DEMO ? { ...process.env, DEMO: "1" } : process.env,
  );
  const db = await openDatabase(config);
  const demo = config.demo && !config.databaseUrl ? await loadDemoDataIfEmpty(db) : null;
  const { app, stop } = await createApp(db, config);
  const server = createHttpServer(app, config).listen(config.port, config.host, () => {
    const base = `http://localhost:${config.port}`;
    console.log(
      `regsync listening on ${base} (GraphQL ${base}/graphql, REST ${base}/api) with ${config.databaseUrl ? "PostgreSQL" : `the embedded database in ${config.dataDir}`}`,
    );
    if (demo) {
      console.log(`Demo data loaded. Demo access key (organizer): ${demo.keys.organizer}`);
      console.log(`Try the seed's JSON example:\n${demo.curl(base)}`);
      console.log(`And the platform's results example (with the timing company's key):\n${demo.resultsCurl(base)}`);
    } else if (!config.databaseUrl) {
      console.log(
        "Need a key? Stop the server and run: npm run --silent cli -- demo --json (or start on an empty database with DEMO=1)",
      );
    }
  });
  // Apollo's own signal handling is off (app.ts): it stopped mid-request and re-raised the signal, and
  // our stop() called while its own was under way never returned (@apollo/server 5.5.1).
  // Running requests finish first (a sync commits or rolls back its batch), then the database closes.
  // A second signal kills the process at once.
  const shutdown = () => {
    server.close(
      () =>
        void stop()
          .then(() => db.destroy())
          .then(() => process.exit(0)),
    );
    // close() ends the idle keep-alive connections; this ends the busy ones as soon as their answer is sent.
    server.keepAliveTimeout = 1;
    // A connection still busy after this long (a client slow to send its body) is cut off; a batch
    // that has started still commits or rolls back whole.
    setTimeout(() => server.closeAllConnections(), 30_000).unref();
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

main().catch((error) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
