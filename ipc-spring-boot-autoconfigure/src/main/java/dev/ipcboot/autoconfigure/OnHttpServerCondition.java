package dev.ipcboot.autoconfigure;

import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;

/**
 * Matches when {@code ipc.http.server.path} or {@code ipc.http.server.name} is set.
 */
class OnHttpServerCondition extends AnyNestedCondition {

	OnHttpServerCondition() {
		super(ConfigurationPhase.REGISTER_BEAN);
	}

	@ConditionalOnProperty("ipc.http.server.path")
	static class PathSet {

	}

	@ConditionalOnProperty("ipc.http.server.name")
	static class NameSet {

	}

}
