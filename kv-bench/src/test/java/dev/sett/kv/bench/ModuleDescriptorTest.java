package dev.sett.kv.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReader;
import java.lang.module.ModuleReference;
import java.lang.module.ResolvedModule;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The JPMS shape of Sett, checked on the module path although this module runs on the class
 * path. It finds our modules among the test class path entries and proves:
 *
 * <ul>
 *   <li>each module declares exactly the exports (with qualified targets), opens, {@code uses},
 *       {@code provides} (service and implementation classes, in order) and {@code requires} of
 *       our own modules written down in {@link #DECLARED}, so that any change to a {@code
 *       module-info.java} has to change this test too; and that the rules of docs/ARCHITECTURE.md hold
 *       (every {@code uses} is in {@code dev.sett.kv}, provider modules require the API only,
 *       every {@code provides} is mirrored by a {@code META-INF/services} file for the class
 *       path);
 *   <li>in a fresh {@link ModuleLayer} whose configuration is resolved <em>and bound</em> from
 *       the roots {@code dev.sett.kv} and {@code dev.sett.kv.core}, {@code Db.open} finds the
 *       {@code core} engine and the {@code skiplist} memtable by service binding alone, and a
 *       put and a get go through; without binding, the memtable is missing and open fails with a
 *       message naming the SPI;
 *   <li>every module resolves together with its third-party dependencies and can be defined in
 *       one class loader (no split packages), and binding from {@code dev.sett.kv.cli} alone
 *       (what {@code java -m dev.sett.kv.cli} does) brings in the engine and the memtables.
 * </ul>
 */
class ModuleDescriptorTest {

  private static final String API = "dev.sett.kv";
  private static final String CORE = "dev.sett.kv.core";
  private static final String SKIPLIST = "dev.sett.kv.skiplist";

  /**
   * Every clause of every module-info, one string per clause in module-info syntax. Qualified
   * targets are sorted (the descriptor keeps them as a set); implementation classes keep their
   * declaration order (the order {@code ServiceLoader} returns them in). {@code requires} lists
   * only our own modules, with their modifiers; {@code requires java.base} is implicit.
   */
  private static final Map<String, Set<String>> DECLARED = declared(
      module(API,
          "exports dev.sett.kv",
          "exports dev.sett.kv.spi",
          "exports dev.sett.kv.io",
          "exports dev.sett.kv.internal to dev.sett.kv.core, dev.sett.kv.levels,"
              + " dev.sett.kv.skiplist, dev.sett.kv.table, dev.sett.kv.testkit, dev.sett.kv.vlog",
          "uses dev.sett.kv.spi.EngineProvider",
          "uses dev.sett.kv.spi.MemTableFactory",
          "uses dev.sett.kv.spi.TableFormat",
          "uses dev.sett.kv.spi.BlockCacheFactory",
          "uses dev.sett.kv.spi.ValueLogFormat",
          "uses dev.sett.kv.spi.ValueSeparationPolicy",
          "uses dev.sett.kv.spi.CompactionStrategyProvider"),
      module(SKIPLIST,
          "requires dev.sett.kv",
          "provides dev.sett.kv.spi.MemTableFactory with"
              + " dev.sett.kv.skiplist.ArenaSkipListFactory,"
              + " dev.sett.kv.skiplist.ConcurrentSkipListFactory"),
      module("dev.sett.kv.table",
          "requires dev.sett.kv",
          "provides dev.sett.kv.spi.TableFormat with dev.sett.kv.table.SstV1Format",
          "provides dev.sett.kv.spi.BlockCacheFactory with"
              + " dev.sett.kv.table.cache.CaffeineBlockCacheFactory,"
              + " dev.sett.kv.table.cache.NoBlockCacheFactory"),
      module("dev.sett.kv.vlog",
          "requires dev.sett.kv",
          "provides dev.sett.kv.spi.ValueLogFormat with dev.sett.kv.vlog.VlogV1Format",
          "provides dev.sett.kv.spi.ValueSeparationPolicy with"
              + " dev.sett.kv.vlog.policy.ThresholdPolicy,"
              + " dev.sett.kv.vlog.policy.PercentilePolicy"),
      module("dev.sett.kv.levels",
          "requires dev.sett.kv",
          "exports dev.sett.kv.levels to dev.sett.kv.core",
          "provides dev.sett.kv.spi.CompactionStrategyProvider with"
              + " dev.sett.kv.levels.compaction.LeveledStrategyProvider,"
              + " dev.sett.kv.levels.compaction.TieredStrategyProvider"),
      module(CORE,
          "requires dev.sett.kv",
          "requires dev.sett.kv.levels",
          "provides dev.sett.kv.spi.EngineProvider with dev.sett.kv.core.CoreEngineProvider"),
      module("dev.sett.kv.testkit",
          "requires transitive dev.sett.kv",
          "exports dev.sett.kv.testkit"),
      module("dev.sett.kv.cli",
          "requires dev.sett.kv",
          "opens dev.sett.kv.cli to info.picocli"));

  /** Provider modules: docs/ARCHITECTURE.md says they depend on the API only, never on each other. */
  private static final Set<String> PROVIDER_MODULES =
      Set.of(SKIPLIST, "dev.sett.kv.table", "dev.sett.kv.vlog");

  /** Every module found on the test class path, by name: ours and everything else. */
  private static Map<String, ModuleReference> onClassPath;
  /** Class path entries that are no module location (kept for failure messages). */
  private static List<String> skipped;

  @BeforeAll
  static void findModulesOnTheClassPath() {
    Map<String, ModuleReference> found = new TreeMap<>();
    List<String> notModules = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (entry.isBlank() || !Files.exists(Path.of(entry))) {
        continue;
      }
      try {
        for (ModuleReference ref : ModuleFinder.of(Path.of(entry)).findAll()) {
          found.putIfAbsent(ref.descriptor().name(), ref);
        }
      } catch (RuntimeException e) { // FindException, or a jar whose name yields no module name
        notModules.add(entry + " (" + e.getMessage() + ")");
      }
    }
    onClassPath = found;
    skipped = notModules;
  }

  private static boolean isOurs(String moduleName) {
    return moduleName.equals(API) || moduleName.startsWith(API + ".");
  }

  private static Map<String, ModuleDescriptor> ourDescriptors() {
    Map<String, ModuleDescriptor> ours = new TreeMap<>();
    onClassPath.forEach((name, ref) -> {
      if (isOurs(name)) {
        ours.put(name, ref.descriptor());
      }
    });
    return ours;
  }

  // ---- (a) the declarations --------------------------------------------------------------------

  @Test
  void theClassPath_holdsExactlyTheModulesThisTestDescribes() {
    assertEquals(new TreeSet<>(DECLARED.keySet()), ourDescriptors().keySet(),
        "a module was added or lost; class path entries that held no module: " + skipped);
  }

  @Test
  void eachModule_declaresExactlyTheClausesWrittenDownHere() {
    Map<String, Set<String>> actual = new TreeMap<>();
    ourDescriptors().forEach((name, d) -> actual.put(name, clauses(d)));
    for (Map.Entry<String, Set<String>> e : DECLARED.entrySet()) {
      assertEquals(new TreeSet<>(e.getValue()), actual.get(e.getKey()),
          "module " + e.getKey() + " (expected vs. compiled module-info)");
    }
    assertEquals(DECLARED.keySet(), actual.keySet());
  }

  @Test
  void eachModule_isAnExplicitClosedModule() {
    ourDescriptors().forEach((name, d) -> {
      assertFalse(d.isAutomatic(), name + " must ship a module-info.class");
      assertFalse(d.isOpen(), name + " must not be an open module");
    });
  }

  @Test
  void everyServiceLookedUp_isDeclaredInTheApiModule_andEveryProvidedServiceIsOneOfThem() {
    Map<String, ModuleDescriptor> ours = ourDescriptors();
    Set<String> uses = ours.get(API).uses();
    assertEquals(7, uses.size(), "one uses per SPI (docs/ARCHITECTURE.md): " + uses);
    ours.forEach((name, d) -> {
      if (!name.equals(API)) {
        assertEquals(Set.of(), d.uses(), name + ": ServiceLoader runs in " + API + " only");
      }
      for (ModuleDescriptor.Provides p : d.provides()) {
        assertTrue(uses.contains(p.service()), name + " provides " + p.service()
            + ", which " + API + " never looks up");
        assertTrue(p.service().startsWith("dev.sett.kv.spi."), p.service());
      }
    });
  }

  @Test
  void providerModules_requireTheApiOnly() {
    Map<String, ModuleDescriptor> ours = ourDescriptors();
    for (String provider : PROVIDER_MODULES) {
      Set<String> required = ours.get(provider).requires().stream()
          .map(ModuleDescriptor.Requires::name)
          .filter(n -> n.startsWith("dev.sett."))
          .collect(Collectors.toCollection(TreeSet::new));
      assertEquals(Set.of(API), required, provider + ": of our modules, only the API");
    }
    Set<String> coreRequires = ours.get(CORE).requires().stream()
        .map(ModuleDescriptor.Requires::name).collect(Collectors.toSet());
    for (String provider : PROVIDER_MODULES) {
      assertFalse(coreRequires.contains(provider), "the engine finds " + provider
          + " at run time and must not require it");
    }
  }

  @Test
  void qualifiedExportTargets_areModulesThatExist() {
    Map<String, ModuleDescriptor> ours = ourDescriptors();
    ours.forEach((name, d) -> {
      for (ModuleDescriptor.Exports e : d.exports()) {
        for (String target : e.targets()) {
          assertTrue(ours.containsKey(target),
              name + " exports " + e.source() + " to " + target + ", which does not exist");
        }
      }
    });
  }

  @Test
  void everyProvides_isMirroredByAServicesFile_soTheJarWorksOnTheClassPath() throws IOException {
    for (Map.Entry<String, ModuleReference> e : onClassPath.entrySet()) {
      if (!isOurs(e.getKey())) {
        continue;
      }
      ModuleDescriptor d = e.getValue().descriptor();
      try (ModuleReader reader = e.getValue().open()) {
        for (ModuleDescriptor.Provides p : d.provides()) {
          Optional<InputStream> in = reader.open("META-INF/services/" + p.service());
          assertTrue(in.isPresent(), e.getKey() + " lacks META-INF/services/" + p.service());
          List<String> listed;
          try (InputStream s = in.get()) {
            listed = new String(s.readAllBytes(), StandardCharsets.UTF_8).lines()
                .map(l -> l.replaceFirst("#.*", "").strip())
                .filter(l -> !l.isEmpty())
                .collect(Collectors.toList());
          }
          assertEquals(p.providers(), listed,
              e.getKey() + ": META-INF/services/" + p.service() + " vs. provides");
        }
        List<String> servicesFiles = reader.list()
            .filter(n -> n.startsWith("META-INF/services/") && n.length() > 18)
            .map(n -> n.substring("META-INF/services/".length()))
            .sorted().collect(Collectors.toList());
        List<String> provided = d.provides().stream().map(ModuleDescriptor.Provides::service)
            .sorted().collect(Collectors.toList());
        assertEquals(provided, servicesFiles,
            e.getKey() + ": a services file without a provides clause (or the reverse)");
      }
    }
  }

  // ---- (b) a layer built from the descriptors --------------------------------------------------

  /** Our module locations plus every non-JDK module they require, transitively. */
  private static ModuleFinder ourModulesAndTheirDependencies() {
    Deque<String> todo = new ArrayDeque<>();
    onClassPath.keySet().stream().filter(ModuleDescriptorTest::isOurs).forEach(todo::add);
    Map<String, Path> locations = new LinkedHashMap<>();
    while (!todo.isEmpty()) {
      String name = todo.pop();
      if (locations.containsKey(name) || ModuleLayer.boot().findModule(name).isPresent()) {
        continue;
      }
      ModuleReference ref = onClassPath.get(name);
      if (ref == null) {
        continue; // resolution will report it if anyone needs it
      }
      locations.put(name, Path.of(ref.location().orElseThrow()));
      ref.descriptor().requires().forEach(r -> todo.add(r.name()));
    }
    return ModuleFinder.of(locations.values().stream().distinct().toArray(Path[]::new));
  }

  private static ModuleLayer.Controller layer(Configuration cf) {
    // The platform loader as parent: nothing of ours can leak in from the class path.
    return ModuleLayer.defineModulesWithOneLoader(cf, List.of(ModuleLayer.boot()),
        ClassLoader.getPlatformClassLoader());
  }

  private static Configuration bound(String... roots) {
    return ModuleLayer.boot().configuration()
        .resolveAndBind(ourModulesAndTheirDependencies(), ModuleFinder.of(), Set.of(roots));
  }

  private static Set<String> names(Configuration cf) {
    return cf.modules().stream().map(ResolvedModule::name)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  @Test
  void bindingFromTheApiAndTheEngine_addsTheProviders() {
    Configuration cf = bound(API, CORE);
    Set<String> ours = names(cf).stream().filter(n -> n.startsWith("dev.sett."))
        .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(Set.of(API, CORE, "dev.sett.kv.levels", SKIPLIST, "dev.sett.kv.table",
        "dev.sett.kv.vlog"), ours,
        "core requires levels; binding adds skiplist (uses MemTableFactory), table (uses"
            + " TableFormat, BlockCacheFactory) and vlog (uses ValueSeparationPolicy)");
    assertTrue(names(cf).containsAll(Set.of("org.lz4.java", "com.github.benmanes.caffeine")),
        "the table module's dependencies come along: " + names(cf));
  }

  @Test
  void dbOpen_inALayer_findsEngineAndMemtableByServiceBinding_andPutThenGetWorks()
      throws Exception {
    ModuleLayer.Controller controller = layer(bound(API, CORE));
    ModuleLayer layer = controller.layer();
    ClassLoader loader = layer.findLoader(API);
    Class<?> dbType = loader.loadClass("dev.sett.kv.Db");
    assertSame(layer, dbType.getModule().getLayer(), "Db must come from the layer");
    assertNotSame(dev.sett.kv.Db.class, dbType, "not the class path copy");

    Object options = inMemoryOptions(loader, null);
    Object db = invoke(dbType.getMethod("open", options.getClass()), null, options);
    try {
      Module engine = db.getClass().getModule();
      assertEquals(CORE, engine.getName(), "engine class " + db.getClass().getName());
      assertSame(layer, engine.getLayer());
      byte[] key = "layer-key".getBytes(StandardCharsets.UTF_8);
      byte[] value = "layer-value".getBytes(StandardCharsets.UTF_8);
      putThenGet(loader, db, key, value);
      assertNull(get(loader, db, "absent".getBytes(StandardCharsets.UTF_8)));
    } finally {
      invoke(dbType.getMethod("close"), db);
    }

    // The registry inside the layer chose the arena skiplist, from the bound module.
    Module api = layer.findModule(API).orElseThrow();
    controller.addExports(api, "dev.sett.kv.internal", ModuleDescriptorTest.class.getModule());
    Class<?> registries = loader.loadClass("dev.sett.kv.internal.Registries");
    Object memTables = invoke(registries.getMethod("memTables"), null);
    Object chosen = invoke(memTables.getClass().getMethod("select", String.class), memTables,
        (Object) null);
    Class<?> named = loader.loadClass("dev.sett.kv.spi.NamedProvider");
    assertEquals("skiplist", invoke(named.getMethod("name"), chosen));
    assertEquals(SKIPLIST, chosen.getClass().getModule().getName());
    assertSame(layer, chosen.getClass().getModule().getLayer());
    Object engines = invoke(registries.getMethod("engines"), null);
    Object coreEngine = invoke(engines.getClass().getMethod("select", String.class), engines,
        (Object) null);
    assertEquals("core", invoke(named.getMethod("name"), coreEngine));
    assertEquals(CORE, coreEngine.getClass().getModule().getName());
  }

  @Test
  void serviceLoaderOnTheLayer_listsBothMemtableProviders_fromTheSkiplistModule()
      throws Exception {
    ModuleLayer layer = layer(bound(API, CORE)).layer();
    ClassLoader loader = layer.findLoader(API);
    Class<?> factoryType = loader.loadClass("dev.sett.kv.spi.MemTableFactory");
    Method name = factoryType.getMethod("name");
    List<String> names = new ArrayList<>();
    for (ServiceLoader.Provider<?> p : ServiceLoader.load(layer, factoryType).stream()
        .collect(Collectors.toList())) {
      assertEquals(SKIPLIST, p.type().getModule().getName(), p.type().getName());
      names.add((String) invoke(name, p.get()));
    }
    assertEquals(List.of("skiplist", "concurrent-skiplist"), names);
  }

  @Test
  void theSecondMemtable_isSelectableByName_inTheLayer() throws Exception {
    ModuleLayer layer = layer(bound(API, CORE)).layer();
    ClassLoader loader = layer.findLoader(API);
    Class<?> dbType = loader.loadClass("dev.sett.kv.Db");
    Object options = inMemoryOptions(loader, "concurrent-skiplist");
    Object db = invoke(dbType.getMethod("open", options.getClass()), null, options);
    try {
      byte[] key = {1, 2, 3};
      putThenGet(loader, db, key, new byte[] {4, 5, 6});
    } finally {
      invoke(dbType.getMethod("close"), db);
    }
  }

  @Test
  void withoutBinding_theMemtableIsMissing_andOpenFailsNamingTheSpi() throws Exception {
    Configuration unbound = ModuleLayer.boot().configuration()
        .resolve(ourModulesAndTheirDependencies(), ModuleFinder.of(), Set.of(API, CORE));
    assertEquals(Set.of(API, CORE, "dev.sett.kv.levels"), names(unbound));
    ClassLoader loader = layer(unbound).layer().findLoader(API);
    Class<?> dbType = loader.loadClass("dev.sett.kv.Db");
    Object options = inMemoryOptions(loader, null);
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> invoke(dbType.getMethod("open", options.getClass()), null, options));
    assertTrue(e.getMessage().contains("MemTableFactory"), e.getMessage());
  }

  @Test
  void everyModule_resolvesWithItsDependencies_andFitsInOneLoader() {
    Set<String> ours = new TreeSet<>(DECLARED.keySet());
    Configuration cf = bound(ours.toArray(String[]::new));
    assertTrue(names(cf).containsAll(ours), names(cf).toString());
    // One loader for all: fails on a package split across two modules.
    ModuleLayer layer = layer(cf).layer();
    for (String name : ours) {
      assertTrue(layer.findModule(name).isPresent(), name);
    }
  }

  @Test
  void bindingFromTheCliAlone_bringsInTheEngineAndTheMemtables() {
    // `java -p lib -m dev.sett.kv.cli` resolves and binds from the CLI only.
    Set<String> resolved = names(bound("dev.sett.kv.cli"));
    assertTrue(resolved.containsAll(Set.of(API, CORE, "dev.sett.kv.levels", SKIPLIST)),
        resolved.toString());
    assertFalse(resolved.contains("dev.sett.kv.testkit"), "test fixtures are never bound");
  }

  // ---- reflection helpers ----------------------------------------------------------------------

  /** {@code Options.inMemory()[.memTable(name)].memTableSize(1 MiB).build()} in the layer. */
  private static Object inMemoryOptions(ClassLoader loader, String memTable) throws Exception {
    Class<?> optionsType = loader.loadClass("dev.sett.kv.Options");
    Object builder = invoke(optionsType.getMethod("inMemory"), null);
    Class<?> builderType = builder.getClass();
    if (memTable != null) {
      invoke(builderType.getMethod("memTable", String.class), builder, memTable);
    }
    invoke(builderType.getMethod("memTableSize", long.class), builder, 1L << 20);
    Object options = invoke(builderType.getMethod("build"), builder);
    assertSame(optionsType, options.getClass());
    return options;
  }

  /** {@code db.update(txn -> txn.set(key, value))}, then checks {@code db.view} reads it. */
  private static void putThenGet(ClassLoader loader, Object db, byte[] key, byte[] value)
      throws Exception {
    Class<?> dbType = loader.loadClass("dev.sett.kv.Db");
    Class<?> txnType = loader.loadClass("dev.sett.kv.Txn");
    Method set = txnType.getMethod("set", byte[].class, byte[].class);
    Consumer<Object> write = txn -> invoke(set, txn, key, value);
    invoke(dbType.getMethod("update", Consumer.class), db, write);
    byte[] read = get(loader, db, key);
    assertNotNull(read, "the value just committed must be visible");
    assertArrayEquals(value, read);
  }

  /** {@code db.view(txn -> { Item i = txn.get(key); return i == null ? null : i.value(); })}. */
  private static byte[] get(ClassLoader loader, Object db, byte[] key) throws Exception {
    Class<?> dbType = loader.loadClass("dev.sett.kv.Db");
    Method get = loader.loadClass("dev.sett.kv.Txn").getMethod("get", byte[].class);
    Method value = loader.loadClass("dev.sett.kv.Item").getMethod("value");
    Function<Object, Object> read = txn -> {
      Object item = invoke(get, txn, (Object) key);
      return item == null ? null : invoke(value, item);
    };
    return (byte[]) invoke(dbType.getMethod("view", Function.class), db, read);
  }

  /** Invokes a method, rethrowing what it threw rather than a wrapper. */
  private static Object invoke(Method m, Object target, Object... args) {
    try {
      return m.invoke(target, args);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new AssertionError(m + " threw " + cause, cause);
    } catch (IllegalAccessException e) {
      throw new AssertionError(m + " is not accessible", e);
    }
  }

  // ---- turning descriptors into clauses --------------------------------------------------------

  private static Set<String> clauses(ModuleDescriptor d) {
    Set<String> out = new TreeSet<>();
    for (ModuleDescriptor.Requires r : d.requires()) {
      if (isOurs(r.name())) {
        String modifiers = r.modifiers().stream()
            .map(m -> m.name().toLowerCase(java.util.Locale.ROOT) + " ")
            .sorted().collect(Collectors.joining());
        out.add("requires " + modifiers + r.name());
      }
    }
    for (ModuleDescriptor.Exports e : d.exports()) {
      out.add("exports " + e.source() + targets(e.targets()));
    }
    for (ModuleDescriptor.Opens o : d.opens()) {
      out.add("opens " + o.source() + targets(o.targets()));
    }
    for (String s : d.uses()) {
      out.add("uses " + s);
    }
    for (ModuleDescriptor.Provides p : d.provides()) {
      out.add("provides " + p.service() + " with " + String.join(", ", p.providers()));
    }
    return out;
  }

  private static String targets(Set<String> targets) {
    return targets.isEmpty() ? "" : " to " + String.join(", ", new TreeSet<>(targets));
  }

  private static Map.Entry<String, Set<String>> module(String name, String... clauses) {
    return Map.entry(name, Set.of(clauses));
  }

  @SafeVarargs
  private static Map<String, Set<String>> declared(Map.Entry<String, Set<String>>... modules) {
    Map<String, Set<String>> m = new TreeMap<>();
    for (Map.Entry<String, Set<String>> e : modules) {
      assertNull(m.put(e.getKey(), e.getValue()), "listed twice: " + e.getKey());
    }
    return m;
  }
}
