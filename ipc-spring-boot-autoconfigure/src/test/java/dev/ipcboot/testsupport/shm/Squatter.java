package dev.ipcboot.testsupport.shm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.ipcboot.testsupport.Tools;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A hostile local user: creates segments, semaphores and key files before the application
 * does, as {@code nobody} (uid 65534, through {@code setpriv}) or as this user, with the
 * mode it chooses (the umask cleared), using Debian's Python and libc through ctypes.
 * Closing it removes everything it created.
 */
public final class Squatter implements AutoCloseable {

	/** The other local user. */
	public static final int NOBODY = 65534;

	private static final String SCRIPT = """
			import ctypes, os, sys
			libc = ctypes.CDLL(None)
			kind, name, mode = sys.argv[1], sys.argv[2], int(sys.argv[3], 8)
			os.umask(0)
			def check(result, call):
			    if result == -1 or result is None:
			        raise OSError(call + ' ' + name + ' failed (as uid ' + str(os.getuid()) + ')')
			    return result
			if kind == 'posix-shm':
			    fd = os.open('/dev/shm/' + name, os.O_CREAT | os.O_EXCL | os.O_RDWR, mode)
			    os.ftruncate(fd, 4096)
			    os.write(fd, b'squatted')
			    print(0)
			elif kind == 'posix-sem':
			    libc.sem_open.restype = ctypes.c_void_p
			    check(libc.sem_open(('/' + name).encode(), os.O_CREAT | os.O_EXCL, mode, 1), 'sem_open')
			    print(0)
			elif kind == 'file':
			    os.close(os.open(name, os.O_CREAT | os.O_EXCL | os.O_RDWR, mode))
			    print(0)
			else:
			    key = check(libc.ftok(name.encode(), ord(sys.argv[4])), 'ftok')
			    if kind == 'sysv-shm':
			        print(check(libc.shmget(key, ctypes.c_size_t(4096), 0o3000 | mode), 'shmget'))
			    else:
			        id = check(libc.semget(key, 1, 0o3000 | mode), 'semget')
			        check(libc.semctl(id, 0, 16, 1), 'semctl')
			        print(id)
			""";

	private final List<Path> files = new ArrayList<>();

	private final List<String> segments = new ArrayList<>();

	private final List<String> semaphores = new ArrayList<>();

	/**
	 * Fail unless this runs as root, which switching to uid 65534 needs.
	 */
	public static void requireRoot() {
		assertThat(System.getProperty("user.name"))
			.as("this test creates objects as uid 65534 (nobody) with setpriv, so it must run as root")
			.isEqualTo("root");
	}

	/**
	 * A POSIX segment {@code /dev/shm/<key>} of 4096 bytes starting with
	 * {@code squatted}.
	 * @param uid {@link #NOBODY} or 0 (this user)
	 * @param key the key
	 * @param mode its permission bits
	 */
	public void posixSegment(int uid, String key, int mode) {
		run(uid, "posix-shm", key, mode, ' ');
		this.files.add(Path.of("/dev/shm", key));
	}

	/**
	 * A POSIX named semaphore {@code /dev/shm/sem.<key>} of value 1.
	 * @param uid {@link #NOBODY} or 0
	 * @param key the key
	 * @param mode its permission bits
	 */
	public void posixSemaphore(int uid, String key, int mode) {
		run(uid, "posix-sem", key, mode, ' ');
		this.files.add(Path.of("/dev/shm", "sem." + key));
	}

	/**
	 * A file, for example a key file.
	 * @param uid {@link #NOBODY} or 0
	 * @param file the file
	 * @param mode its permission bits
	 */
	public void file(int uid, Path file, int mode) {
		this.files.add(file);
		run(uid, "file", file.toString(), mode, ' ');
	}

	/**
	 * A System V segment of 4096 bytes keyed by {@code ftok(keyFile, projectId)}.
	 * @param uid {@link #NOBODY} or 0
	 * @param keyFile an existing key file
	 * @param projectId the {@code ftok} project id
	 * @param mode its permission bits
	 * @return the segment id
	 */
	public int systemVSegment(int uid, Path keyFile, char projectId, int mode) {
		String id = run(uid, "sysv-shm", keyFile.toString(), mode, projectId);
		this.segments.add(id);
		return Integer.parseInt(id);
	}

	/**
	 * A System V semaphore of value 1 keyed by {@code ftok(keyFile, projectId)}.
	 * @param uid {@link #NOBODY} or 0
	 * @param keyFile an existing key file
	 * @param projectId the {@code ftok} project id
	 * @param mode its permission bits
	 * @return the semaphore id
	 */
	public int systemVSemaphore(int uid, Path keyFile, char projectId, int mode) {
		String id = run(uid, "sysv-sem", keyFile.toString(), mode, projectId);
		this.semaphores.add(id);
		return Integer.parseInt(id);
	}

	private String run(int uid, String kind, String name, int mode, char projectId) {
		List<String> command = new ArrayList<>();
		if (uid != 0) {
			command.addAll(List.of(Tools.require("setpriv", "util-linux").toString(), "--reuid=" + uid,
					"--regid=" + uid, "--clear-groups"));
		}
		command.addAll(List.of(Tools.requirePythonModule("ctypes", "python3"), "-c", SCRIPT, kind, name,
				Integer.toOctalString(mode), String.valueOf(projectId)));
		return SystemObjects.runOrFail("the squatter creating " + kind + " " + name, command);
	}

	/**
	 * Remove everything it created that is still there.
	 */
	@Override
	public void close() {
		for (String id : this.segments) {
			SystemObjects.run("ipcrm", "-m", id);
		}
		for (String id : this.semaphores) {
			SystemObjects.run("ipcrm", "-s", id);
		}
		for (Path file : this.files) {
			try {
				Files.deleteIfExists(file);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
	}

}
