package dev.ipcboot.http.internal;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.file.attribute.UserPrincipal;

import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

import dev.ipcboot.http.HttpPeer;

/**
 * Reads the kernel's credentials of the peer of an accepted Unix-domain channel. Like
 * {@code dev.ipcboot.socket.PeerCredentials}, which reads them from a junixsocket socket;
 * Tomcat's connector uses JDK channels, so this one goes through
 * {@link ExtendedSocketOptions#SO_PEERCRED}.
 */
final class PeerCredentials {

	private PeerCredentials() {
	}

	static HttpPeer of(SocketChannel channel) throws IOException {
		UnixDomainPrincipal principal = channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
		return new HttpPeer(idOf(principal.user()), idOf(principal.group()), principal.user().getName(),
				principal.group().getName());
	}

	/**
	 * The JDK builds these principals from the numeric id and defines their equality and
	 * hash code by it (names are looked up and may be absent); that hash code is the only
	 * public way to the number. {@code HttpSocketServerTests} checks it against the uid
	 * of a file this process created, so a JDK that changes it fails the build.
	 */
	private static int idOf(UserPrincipal principal) {
		return principal.hashCode();
	}

}
