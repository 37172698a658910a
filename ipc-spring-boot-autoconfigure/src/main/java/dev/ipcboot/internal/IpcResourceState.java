package dev.ipcboot.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.ipcboot.IpcResourceStatus;

/**
 * A snapshot of the state of an {@link IpcResource}: its status, an optional reason a
 * human can act on, and a few details in insertion order (bound address, connection
 * count, pid and restarts, bus name, segment size). Details must be low in volume and
 * serialisable as JSON: strings, numbers, booleans, lists or maps of those.
 *
 * @param status the status
 * @param reason why the resource is not up ("exited with code 3 after 5 restarts"), or
 * {@code null}
 * @param details the details, never {@code null}; copied and made unmodifiable
 */
public record IpcResourceState(IpcResourceStatus status, @Nullable String reason, Map<String, Object> details) {

	/**
	 * Create a state, copying the details.
	 * @param status the status
	 * @param reason the reason, or {@code null}
	 * @param details the details
	 */
	public IpcResourceState {
		details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
	}

	/**
	 * The resource works.
	 * @param details the details
	 * @return the state
	 */
	public static IpcResourceState up(Map<String, Object> details) {
		return new IpcResourceState(IpcResourceStatus.UP, null, details);
	}

	/**
	 * The resource failed for good.
	 * @param reason what happened, for operators
	 * @param details the details
	 * @return the state
	 */
	public static IpcResourceState down(String reason, Map<String, Object> details) {
		return new IpcResourceState(IpcResourceStatus.DOWN, reason, details);
	}

	/**
	 * The resource is temporarily unavailable and expected back (restarting,
	 * reconnecting).
	 * @param reason what happened, for operators
	 * @param details the details
	 * @return the state
	 */
	public static IpcResourceState outOfService(String reason, Map<String, Object> details) {
		return new IpcResourceState(IpcResourceStatus.OUT_OF_SERVICE, reason, details);
	}

	/**
	 * The state is not known (not started yet, or could not be determined).
	 * @param reason why, for operators
	 * @return the state
	 */
	public static IpcResourceState unknown(String reason) {
		return new IpcResourceState(IpcResourceStatus.UNKNOWN, reason, Map.of());
	}

}
