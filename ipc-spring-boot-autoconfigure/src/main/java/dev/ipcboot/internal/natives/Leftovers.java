package dev.ipcboot.internal.natives;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * What this application created and removes itself when it closes: private bus
 * directories, socket bind directories and socket files, shared memory segments,
 * semaphores and key files. Each running instance lists them in a file of the private
 * {@link RunDirectory} named after its pid and start time, the pair that names one
 * process for the life of the system. The first use in a JVM reclaims what dead instances
 * left: an instance is dead when no process has its pid with its start time (a recycled
 * pid has another one), and each object is removed only if it is still the one recorded
 * (same inode, or same System V key), belongs to this uid, is not listed by a live
 * instance and has no live user (no process maps a POSIX object; a System V segment has
 * no attachment and its creator pid is not running). Objects created to persist are never
 * recorded.
 */
public final class Leftovers {

	/** What kind of object an entry is; the name is a path, a POSIX name or an id. */
	public enum Kind {

		/** A directory, removed with its contents. */
		DIRECTORY,
		/** A file: a socket or a System V key file. */
		FILE,
		/** A POSIX shared memory segment, named {@code /<key>}. */
		POSIX_SHM,
		/** A POSIX named semaphore, named {@code /<key>}. */
		POSIX_SEM,
		/** A System V shared memory segment, named by its id. */
		SYSV_SHM,
		/** A System V semaphore, named by its id. */
		SYSV_SEM

	}

	private static final Log logger = LogFactory.getLog(Leftovers.class);

	private static final Path SHM = Path.of("/dev/shm");

	/**
	 * The largest record read: an instance lists a few lines per resource it made, so
	 * anything larger was not written by one and is not read into memory.
	 */
	static final long MAX_RECORD_BYTES = 1024 * 1024;

	private static final Object lock = new Object();

	private static @Nullable Path record;

	private static boolean started;

	private static final Set<String> entries = new LinkedHashSet<>();

	private Leftovers() {
	}

	/**
	 * Reclaim the leftovers of dead instances unless that was done in this JVM already.
	 * Called by each facility before it creates anything; never fails the caller: a run
	 * directory that cannot be trusted is refused at WARN and nothing is recorded.
	 */
	public static void reclaim() {
		synchronized (lock) {
			if (started) {
				return;
			}
			started = true;
			Path directory = RunDirectory.location();
			if (!reclaimIn(directory)) {
				return;
			}
			record = directory.resolve(InstanceId.current().fileName());
		}
	}

	/**
	 * Reclaim what dead instances recorded in a run directory.
	 * @param directory the run directory, created if missing
	 * @return whether the directory can be trusted (else nothing was touched, and a WARN
	 * says why)
	 */
	static boolean reclaimIn(Path directory) {
		String problem = RunDirectory.prepare(directory);
		if (problem != null) {
			RefusalLog.warn(logger, directory.toString(), "Refused the run directory " + directory + ": " + problem
					+ "; objects of this application are not recorded, and leftovers of crashed instances are not "
					+ "reclaimed. Remove it (rm -r " + directory + ") or set -D" + RunDirectory.PROPERTY
					+ " to a private directory");
			return false;
		}
		try {
			new Reclaim(directory).run();
		}
		catch (IOException | RuntimeException ex) {
			RefusalLog.warn(logger, directory.toString(),
					"Could not reclaim the leftovers of dead instances in " + directory + ": " + ex);
		}
		return true;
	}

	/**
	 * Record an object this application created and will remove when it closes.
	 * @param kind what it is
	 * @param name its path, POSIX name or System V id
	 */
	public static void created(Kind kind, String name) {
		reclaim();
		String identity = Identity.of(kind, name);
		if (identity == null || name.contains("\t") || name.contains("\n")) {
			return; // gone already, or a name this file format cannot hold
		}
		synchronized (lock) {
			if (record != null && entries.add(kind + "\t" + identity + "\t" + name)) {
				write();
			}
		}
	}

	/**
	 * Forget an object this application removed (or kept on purpose).
	 * @param kind what it is
	 * @param name its path, POSIX name or System V id
	 */
	public static void removed(Kind kind, String name) {
		synchronized (lock) {
			if (entries.removeIf((entry) -> entry.startsWith(kind + "\t") && entry.endsWith("\t" + name))) {
				write();
			}
		}
	}

	private static void write() {
		Path file = record;
		if (file == null) {
			return;
		}
		try {
			if (entries.isEmpty()) {
				Files.deleteIfExists(file);
				return;
			}
			Path temporary = file.resolveSibling("." + file.getFileName());
			Files.write(temporary, String.join("\n", entries).concat("\n").getBytes(StandardCharsets.UTF_8));
			Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
			Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		}
		catch (IOException ex) {
			RefusalLog.warn(logger, file.toString(), "Could not record the objects of this instance in " + file + " ("
					+ ex + "); if it crashes, the next start cannot reclaim them");
		}
	}

	/** Reclaims the entries of every dead instance's file in the run directory. */
	static final class Reclaim {

		private final Path directory;

		private final Set<String> live = new HashSet<>();

		private final List<Path> dead = new ArrayList<>();

		Reclaim(Path directory) {
			this.directory = directory;
		}

		void run() throws IOException {
			try (DirectoryStream<Path> files = Files.newDirectoryStream(this.directory)) {
				run(files);
			}
		}

		/**
		 * Reclaim what the dead instances among the listed records left.
		 * @param listed the records of the run directory, as listed at some moment
		 */
		void run(Iterable<Path> listed) throws IOException {
			for (Path file : listed) {
				InstanceId instance = InstanceId.parse(file.getFileName().toString());
				if (instance == null) {
					continue;
				}
				try {
					inspect(file, instance);
				}
				catch (NoSuchFileException ex) {
					// its instance removed it, or another instance starting at the same
					// time reclaimed it, since the listing
				}
			}
			for (Path file : this.dead) {
				reclaim(file);
			}
		}

		private void inspect(Path file, InstanceId instance) throws IOException {
			String problem = RunDirectory.untrusted(file);
			if (problem != null || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
				if (Files.notExists(file, LinkOption.NOFOLLOW_LINKS)) {
					throw new NoSuchFileException(file.toString());
				}
				RefusalLog.warn(logger, file.toString(),
						"Refused the record " + file + " of instance pid " + instance.pid() + ": "
								+ ((problem != null) ? problem : "not a regular file")
								+ "; nothing it lists is reclaimed. Remove it");
				return;
			}
			if (Files.size(file) > MAX_RECORD_BYTES) {
				RefusalLog.warn(logger, file.toString(),
						"Refused the record " + file + " of instance pid " + instance.pid() + ": over "
								+ MAX_RECORD_BYTES + " bytes, which no instance writes; nothing it lists is"
								+ " reclaimed. Remove it");
				return;
			}
			if (instance.isRunning()) {
				List<String> lines = readIfPresent(file);
				for (String entry : (lines != null) ? lines : List.<String>of()) {
					this.live.add(withoutIdentity(entry));
				}
			}
			else {
				this.dead.add(file);
			}
		}

		/**
		 * The lines of a record, or none when its instance removed it (it had nothing
		 * left to record) or another starting instance reclaimed it between listing and
		 * reading.
		 */
		private static @Nullable List<String> readIfPresent(Path file) throws IOException {
			try {
				return Files.readAllLines(file, StandardCharsets.UTF_8);
			}
			catch (NoSuchFileException ex) {
				return null;
			}
		}

		private void reclaim(Path file) throws IOException {
			InstanceId instance = Objects.requireNonNull(InstanceId.parse(file.getFileName().toString()));
			List<String> kept = new ArrayList<>();
			// another instance starting at the same time may have reclaimed it already
			List<String> lines = readIfPresent(file);
			if (lines == null) {
				return;
			}
			List<String> entries = new ArrayList<>(lines);
			// files first: removing a bind directory unlinks the socket's other name,
			// which changes the socket file's change time and so its identity
			entries.sort(Comparator.comparing((String entry) -> !entry.startsWith(Kind.FILE + "\t")));
			for (String entry : entries) {
				String[] fields = entry.split("\t", 3);
				if (fields.length != 3 || this.live.contains(withoutIdentity(entry))) {
					continue;
				}
				Kind kind;
				try {
					kind = Kind.valueOf(fields[0]);
				}
				catch (IllegalArgumentException ex) {
					continue;
				}
				String what = kind.name().toLowerCase(Locale.ROOT).replace('_', ' ') + " " + fields[2];
				try {
					switch (Remover.remove(kind, fields[1], fields[2], instance)) {
						case REMOVED -> logger.info("Reclaimed " + what + ", left by a dead instance of this"
								+ " application (pid " + instance.pid() + ", no longer running)");
						case IN_USE -> kept.add(entry);
						case NOT_OURS -> RefusalLog.warn(logger, fields[2], "Did not reclaim " + what
								+ " listed by dead instance pid " + instance.pid()
								+ ": it is no longer the object that instance created or it belongs to another uid");
						case GONE -> {
						}
					}
				}
				catch (RuntimeException ex) {
					RefusalLog.warn(logger, fields[2], "Could not reclaim " + what + " left by dead instance pid "
							+ instance.pid() + ": " + ex.getMessage());
				}
			}
			if (kept.isEmpty()) {
				Files.deleteIfExists(file);
			}
			else {
				Files.write(file, String.join("\n", kept).concat("\n").getBytes(StandardCharsets.UTF_8));
			}
		}

		private static String withoutIdentity(String entry) {
			int first = entry.indexOf('\t');
			int second = entry.indexOf('\t', first + 1);
			return (first < 0 || second < 0) ? entry : entry.substring(0, first) + entry.substring(second);
		}

	}

	static Path shmFile(Kind kind, String name) {
		return SHM.resolve(((kind == Kind.POSIX_SEM) ? "sem." : "") + name.substring(1));
	}

}
