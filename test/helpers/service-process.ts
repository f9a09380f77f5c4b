import { type ChildProcess, spawn } from "node:child_process";

/** The real service in a process of its own (`server/main.ts`), as `npm start` runs it. */
export type ServiceProcess = {
  child: ChildProcess;
  port: number;
  /** What it wrote to stdout and stderr so far. */
  output: () => string;
};

/**
 * Starts `server/main.ts` on `port` with `env` added to this process's environment (DATABASE_URL, BOOTSTRAP_*, …),
 * and resolves once `ready` (default `/readyz`) answers 200; throws with its output when it exits or does not get
 * there within 30 s. `stdout: false` leaves stdout unread (a test that kills the process often needs none of it).
 */
export async function startServiceProcess(
  port: number,
  env: Record<string, string>,
  options: { ready?: string; stdout?: boolean } = {},
): Promise<ServiceProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", ...env },
    stdio: ["ignore", options.stdout === false ? "ignore" : "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}${options.ready ?? "/readyz"}`)).ok)
        return { child, port, output: () => output };
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null) throw new Error(`the service exited at start: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the service did not start: ${output}`);
}
