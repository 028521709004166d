import t from "tap";
import { SUPERVISOR_VERSION } from "../../src/supervisord/version.js";
t.test("version", async (t) => { t.equal(SUPERVISOR_VERSION, "4.2.5"); });
