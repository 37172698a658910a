package dev.ipcboot.socket;

import java.io.IOException;
import java.net.Socket;

import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketCredentials;

/**
 * Process, user and group id of the peer of a Unix-domain socket, from the kernel
 * ({@code SO_PEERCRED}), so a peer cannot lie about them.
 *
 * @param pid process id of the peer
 * @param uid user id of the peer
 * @param gid group id of the peer
 */
record PeerCredentials(int pid, int uid, int gid) {

	static PeerCredentials of(Socket socket) throws IOException {
		AFUNIXSocketCredentials credentials = ((AFUNIXSocket) socket).getPeerCredentials();
		return new PeerCredentials((int) credentials.getPid(), (int) credentials.getUid(), (int) credentials.getGid());
	}

	@Override
	public String toString() {
		return "pid " + this.pid + " uid " + this.uid + " gid " + this.gid;
	}

}
