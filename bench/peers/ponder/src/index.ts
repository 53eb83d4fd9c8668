import { ponder } from "ponder:registry";
import { token, transfer } from "ponder:schema";

ponder.on("Collection:Transfer", async ({ event, context }) => {
  await context.db.insert(transfer).values({
    id: event.id,
    tokenId: event.args.tokenId,
    from: event.args.from,
    to: event.args.to,
    blockNumber: event.block.number,
    timestamp: event.block.timestamp,
  });
  await context.db
    .insert(token)
    .values({ id: event.args.tokenId, owner: event.args.to })
    .onConflictDoUpdate({ owner: event.args.to });
});
