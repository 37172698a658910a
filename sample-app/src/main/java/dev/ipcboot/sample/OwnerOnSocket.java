package dev.ipcboot.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Principal;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.ipcboot.http.HttpPeer;

/**
 * Who may see the health details: a request that came in over the desk's owner-only HTTP
 * socket ({@code ipc.http.server}) from a process of the desk's own user is that user's,
 * as the kernel reports it ({@link HttpPeer}, not a header), and gets a principal. With
 * {@code management.endpoint.health.show-details: when-authorized} that request sees the
 * details (socket paths, the D-Bus address, the worker's state); a request over TCP,
 * which any user of the machine can make to 127.0.0.1:8080, sees the status alone. An
 * application with Spring Security would grant this in its own filter chain instead.
 */
@Component
class OwnerOnSocket extends OncePerRequestFilter {

	private final int ownUid;

	OwnerOnSocket() throws IOException {
		this.ownUid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		HttpPeer peer = (request.getAttribute(HttpPeer.ATTRIBUTE) instanceof HttpPeer found) ? found : null;
		if (peer == null || peer.uid() != this.ownUid) {
			chain.doFilter(request, response);
			return;
		}
		Owner owner = new Owner(peer.user());
		chain.doFilter(new HttpServletRequestWrapper(request) {

			@Override
			public Principal getUserPrincipal() {
				return owner;
			}

			@Override
			public String getRemoteUser() {
				return owner.getName();
			}

		}, response);
	}

	/** The desk's own user, connected over its HTTP socket. */
	record Owner(String name) implements Principal {

		@Override
		public String getName() {
			return this.name;
		}

	}

}
