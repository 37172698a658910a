package dev.ipcboot.internal.natives;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.StringArray;

/**
 * The C library calls that spawn, signal and reap child processes and move bytes over
 * their pipes. Only {@link ChildProcesses} calls them.
 */
interface ProcessLibC extends Library {

	ProcessLibC INSTANCE = Native.load("c", ProcessLibC.class);

	int O_CLOEXEC = 0x80000;

	int POSIX_SPAWN_SETPGROUP = 0x02;

	int POSIX_SPAWN_SETSIGDEF = 0x04;

	int POSIX_SPAWN_SETSIGMASK = 0x08;

	short POLLIN = 0x001;

	int EINTR = 4;

	int ESRCH = 3;

	int ECHILD = 10;

	int pipe2(int[] fds, int flags) throws LastErrorException;

	int close(int fd) throws LastErrorException;

	int F_SETPIPE_SZ = 1031;

	int fcntl(int fd, int command, int argument) throws LastErrorException;

	int read(int fd, Pointer buffer, long count) throws LastErrorException;

	int write(int fd, byte[] buffer, long count) throws LastErrorException;

	int poll(Pointer fds, int nfds, int timeout) throws LastErrorException;

	int kill(int pid, int signal) throws LastErrorException;

	/**
	 * {@code pidfd_open(2)} and {@code pidfd_send_signal(2)}: the same number on every
	 * architecture.
	 */
	long SYS_PIDFD_SEND_SIGNAL = 424;

	long SYS_PIDFD_OPEN = 434;

	int ENOSYS = 38;

	long syscall(long number, long first, long second, long third, long fourth) throws LastErrorException;

	int waitpid(int pid, int[] status, int options) throws LastErrorException;

	int P_PID = 1;

	int WEXITED = 4;

	int WNOWAIT = 0x01000000;

	int O_RDONLY = 0;

	int O_WRONLY = 1;

	int O_CREAT = 0x40;

	int O_TRUNC = 0x200;

	int O_APPEND = 0x400;

	int O_DIRECTORY = 0x10000;

	int WNOHANG = 1;

	int open(String path, int flags) throws LastErrorException;

	int chdir(String path) throws LastErrorException;

	int fchdir(int fd) throws LastErrorException;

	int waitid(int idType, int id, Pointer info, int options) throws LastErrorException;

	String strerror(int errno);

	int posix_spawn_file_actions_init(Pointer actions);

	int posix_spawn_file_actions_destroy(Pointer actions);

	int posix_spawn_file_actions_adddup2(Pointer actions, int fd, int newFd);

	int posix_spawn_file_actions_addclose(Pointer actions, int fd);

	int posix_spawn_file_actions_addopen(Pointer actions, int fd, String path, int flags, int mode);

	// glibc 2.29+ and musl 1.1.24+: look up with SpawnFunctions before calling
	int posix_spawn_file_actions_addchdir_np(Pointer actions, String path);

	// glibc 2.34+ only: look up with SpawnFunctions before calling
	int posix_spawn_file_actions_addclosefrom_np(Pointer actions, int from);

	int posix_spawnattr_init(Pointer attributes);

	int posix_spawnattr_destroy(Pointer attributes);

	int posix_spawnattr_setflags(Pointer attributes, short flags);

	int posix_spawnattr_setpgroup(Pointer attributes, int pgroup);

	int posix_spawnattr_setsigmask(Pointer attributes, Pointer mask);

	int posix_spawnattr_setsigdefault(Pointer attributes, Pointer signals);

	int sigemptyset(Pointer set);

	int sigfillset(Pointer set);

	int posix_spawn(int[] pid, String path, Pointer actions, Pointer attributes, StringArray argv, StringArray envp);

}
