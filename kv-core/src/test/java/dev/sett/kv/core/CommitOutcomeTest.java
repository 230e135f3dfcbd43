package dev.sett.kv.core;

import static dev.sett.kv.core.Bytes.b;
import static dev.sett.kv.core.Bytes.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.kv.ConflictException;
import dev.sett.kv.Db;
import dev.sett.kv.DbClosedException;
import dev.sett.kv.Options;
import dev.sett.kv.Txn;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A transaction reports how it ended. Catches fault 8 of issue 12: a commit that failed with
 * {@link ConflictException} left the transaction marked committed, so a later {@code commit()}
 * said "already committed".
 */
class CommitOutcomeTest {
  @TempDir Path dir;

  @Test
  void aConflictedCommit_isNotReportedAsCommitted() {
    try (Db db = Db.open(Options.builder(dir).build())) {
      db.update(txn -> txn.set(b("k"), b("v0")));
      Txn loser = db.newTransaction(true);
      loser.get(b("k"));
      loser.set(b("k"), b("loser"));
      db.update(txn -> txn.set(b("k"), b("winner")));
      assertThrows(ConflictException.class, loser::commit);
      DbClosedException again = assertThrows(DbClosedException.class, loser::commit);
      assertFalse(again.getMessage().contains("already committed"), again.getMessage());
      assertTrue(again.getMessage().contains("conflict"), again.getMessage());
      loser.close(); // closing a failed transaction is fine and changes nothing
      assertEquals("winner", db.view(txn -> s(txn.get(b("k")).value())));
    }
  }

  @Test
  void aCommittedTransaction_saysSo() {
    try (Db db = Db.open(Options.builder(dir).build())) {
      Txn txn = db.newTransaction(true);
      txn.set(b("k"), b("v"));
      txn.commit();
      DbClosedException again = assertThrows(DbClosedException.class, txn::commit);
      assertTrue(again.getMessage().contains("already committed"), again.getMessage());
    }
  }
}
