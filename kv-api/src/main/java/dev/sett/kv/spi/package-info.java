/**
 * Service provider interfaces: each major component of Sett is a named provider found through
 * {@link java.util.ServiceLoader} or passed as an instance in {@link dev.sett.kv.Options}.
 *
 * <p>Every provider has a stable lowercase {@link dev.sett.kv.spi.NamedProvider#name()}. A
 * registry per SPI picks, in order: the name given in the options, the SPI's {@code DEFAULT_NAME},
 * the only provider present, else fails listing what is there. Providers are stateless and
 * thread-safe; per-database state lives in the objects they create.
 *
 * <p>Internal entries are ordered by user key (unsigned lexicographic) ascending, then version
 * descending, so the newest version of a key comes first; on disk the order is the one of the
 * internal key {@code userKey || BE64(2^64 - 1 - version)}.
 */
package dev.sett.kv.spi;
