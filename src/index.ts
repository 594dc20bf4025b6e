// Start-up: config → database → http server; nothing else.
import { loadConfig, ConfigError } from "./config";
import { openDatabase } from "./db/data-source";
import { createApp } from "./app";
import { loadDemoDataIfEmpty } from "./services/demo-data";

async function main(): Promise<void> {
  const config = loadConfig();
  const db = await openDatabase(config);
  const demo = config.databaseUrl ? null : await loadDemoDataIfEmpty(db);
  const { app, stop } = await createApp(db, config);
  const server = app.listen(config.port, config.host, () => {
    const base = `http://localhost:${config.port}`;
    console.log(`regsync listening on ${base} (GraphQL ${base}/graphql, REST ${base}/api) with ${config.databaseUrl ? "PostgreSQL" : `the embedded database in ${config.dataDir}`}`);
    if (demo) {
      console.log(`Demo data loaded. Demo access key (organizer): ${demo.keys.organizer}`);
      console.log(`Try the seed's JSON example:\n${demo.curl(base)}`);
    } else if (!config.databaseUrl) {
      console.log("Need a key? Stop the server and run: npm run --silent cli -- demo --json");
    }
  });
  const shutdown = () => {
    server.close();
    void stop().then(() => db.destroy()).then(() => process.exit(0));
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

main().catch((error) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
