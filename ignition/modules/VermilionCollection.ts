import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

import vermilionFactoryModule from "./VermilionFactory.js";

/**
 * One issuer's collection, cloned through the factory (deployed by the factory module if needed).
 * Parameters: `name`, `symbol`, `admin` and `issuer` (default: the deploying account), `contractURI`,
 * and `salt` (bytes32) which, with the deployer, fixes the clone's address.
 */
export default buildModule("VermilionCollection", (m) => {
  const { factory } = m.useModule(vermilionFactoryModule);
  const deployer = m.getAccount(0);
  const createCall = m.call(factory, "createCollection", [
    {
      name: m.getParameter("name", "Vermilion Collection"),
      symbol: m.getParameter("symbol", "VRM"),
      admin: m.getParameter("admin", deployer),
      issuer: m.getParameter("issuer", deployer),
      contractURI: m.getParameter("contractURI", ""),
    },
    m.getParameter("salt", "0x0000000000000000000000000000000000000000000000000000000000000000"),
  ]);
  const collectionAddress = m.readEventArgument(createCall, "CollectionCreated", "collection");
  const collection = m.contractAt("VermilionCollection", collectionAddress);
  return { factory, collection };
});
