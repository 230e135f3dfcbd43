/**
 * Sett as the state store of Kafka Streams: store suppliers ({@link dev.sett.kv.kafka.SettStores}),
 * DSL store suppliers ({@link dev.sett.kv.kafka.SettDslStoreSuppliers}) that move every store of an
 * application with one line of configuration, batched restore, changelog offsets kept in the store
 * with its data, interactive queries and Sett's statistics as Kafka Streams metrics.
 *
 * <p>This package depends on Sett's public API only; it is the one place where Kafka's types appear
 * in Sett's public signatures.
 */
package dev.sett.kv.kafka;
