import { createServer } from "node:http";
import { securityHeaderValues } from "../server/http/security-headers.ts";

/**
 * The HTTP floor under the decision endpoint (npm run bench, diagnosis, not a target): node:http as the service's fast
 * path (server/decisions/fast-path.ts) uses it — the body read off the socket and parsed, the service's security
 * headers — answering the README case's real decision as a constant instead of deciding. What the decision endpoint
 * costs beyond this is the decision's own work: API key, rate limit, validation, rules, its JSON, the log, the metrics.
 */
const ANSWER = JSON.stringify({
  decisionId: "01M7VAX6808VN5Z32PMDM3VX92",
  ruleSet: "refund-eligibility",
  version: 1,
  decision: {
    eligible: true,
    channel: "return_and_refund",
    requiresReturn: true,
    maxRefundableFen: 16000,
    formula: "threshold_prorata",
    manualReview: false,
    reasons: [{ code: "RETURN_AND_REFUND", message: "已收到货，退货后退款" }],
  },
  firedRules: ["received-goods-come-back-for-a-refund", "threshold-discount-is-prorated-over-the-goods"],
});
const headers = Object.entries(await securityHeaderValues())
  .flat()
  .concat("content-type", "application/json", "content-length", String(Buffer.byteLength(ANSWER)));

const server = createServer((req, res) => {
  if (req.method !== "POST") {
    res.writeHead(200, { "content-type": "application/json" });
    res.end('{"status":"ok"}');
    return;
  }
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    const body = JSON.parse((chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString("utf8")) as {
      facts?: unknown;
    };
    if (typeof body.facts !== "object") {
      res.writeHead(400);
      res.end();
      return;
    }
    res.writeHead(200, headers);
    res.end(ANSWER);
  });
});

server.listen(Number(process.env.PORT ?? 8082), process.env.HOST ?? "127.0.0.1", () =>
  console.log("floor server listening"),
);
const stop = () => server.close(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
