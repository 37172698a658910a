package dev.ipcboot.http.internal;

import java.io.IOException;
import java.nio.channels.SocketChannel;

import org.apache.coyote.Adapter;
import org.apache.coyote.Request;
import org.apache.coyote.Response;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.apache.coyote.http11.Http11Processor;
import org.apache.tomcat.util.net.AbstractEndpoint.Handler.SocketState;
import org.apache.tomcat.util.net.NioChannel;
import org.apache.tomcat.util.net.SocketEvent;
import org.apache.tomcat.util.net.SocketWrapperBase;
import org.jspecify.annotations.Nullable;

import dev.ipcboot.http.HttpPeer;

/**
 * Tomcat's HTTP/1.1 processor that puts the connection's {@link HttpPeer} on every
 * request it hands to the servlet container, as the attribute {@link HttpPeer#ATTRIBUTE}.
 */
final class PeerAwareProcessor extends Http11Processor {

	private final PeerAttributeAdapter adapter;

	private final UnixDomainNioEndpoint endpoint;

	private PeerAwareProcessor(AbstractHttp11Protocol<?> protocol, UnixDomainNioEndpoint endpoint,
			PeerAttributeAdapter adapter) {
		super(protocol, adapter);
		this.endpoint = endpoint;
		this.adapter = adapter;
	}

	static PeerAwareProcessor create(AbstractHttp11Protocol<?> protocol, UnixDomainNioEndpoint endpoint) {
		return new PeerAwareProcessor(protocol, endpoint, new PeerAttributeAdapter(protocol.getAdapter()));
	}

	@Override
	public SocketState service(SocketWrapperBase<?> socketWrapper) throws IOException {
		Object socket = socketWrapper.getSocket();
		SocketChannel channel = ((NioChannel) socket).getIOChannel();
		this.adapter.peer = this.endpoint.peerOf(channel);
		return super.service(socketWrapper);
	}

	/** Sets the attribute, then lets Tomcat's own adapter do the rest. */
	private static final class PeerAttributeAdapter implements Adapter {

		private final Adapter delegate;

		private volatile @Nullable HttpPeer peer;

		PeerAttributeAdapter(Adapter delegate) {
			this.delegate = delegate;
		}

		@Override
		public void service(Request request, Response response) throws Exception {
			HttpPeer current = this.peer;
			if (current != null) {
				request.setAttribute(HttpPeer.ATTRIBUTE, current);
			}
			this.delegate.service(request, response);
		}

		@Override
		public boolean prepare(Request request, Response response) throws Exception {
			return this.delegate.prepare(request, response);
		}

		@Override
		public boolean asyncDispatch(Request request, Response response, SocketEvent status) throws Exception {
			return this.delegate.asyncDispatch(request, response, status);
		}

		@Override
		public void log(Request request, Response response, long time) {
			this.delegate.log(request, response, time);
		}

		@Override
		public void checkRecycled(Request request, Response response) {
			this.delegate.checkRecycled(request, response);
		}

		@Override
		public String getDomain() {
			return this.delegate.getDomain();
		}

	}

}
