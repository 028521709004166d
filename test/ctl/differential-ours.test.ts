// The same tests with OUR supervisord as the daemon (the default file runs them against the real one),
// so our supervisorctl is shown to match the Python one against both daemons.
process.env["SUPERVISORD_UNDER_TEST"] = "ours";
await import("./differential.test.js");
