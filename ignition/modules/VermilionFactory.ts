import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/**
 * The collection implementation and the factory that clones it for each issuer.
 * Parameters: `admin` (default: the deploying account) holds the factory's admin and deployer roles.
 */
export default buildModule("VermilionFactory", (m) => {
  const admin = m.getParameter("admin", m.getAccount(0));
  const implementation = m.contract("VermilionCollection");
  const factory = m.contract("VermilionFactory", [implementation, admin]);
  return { implementation, factory };
});
