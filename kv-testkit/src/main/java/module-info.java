/**
 * Test fixtures for every Sett module: fault-injecting storage, SPI contract suites and reference
 * models. Used with test scope only.
 */
module dev.sett.kv.testkit {
  requires transitive dev.sett.kv;
  requires org.junit.jupiter.api;
  requires org.junit.jupiter.params;
  requires net.jqwik.api;

  exports dev.sett.kv.testkit;
}
