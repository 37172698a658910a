package dev.ipcboot.test;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * Creates an {@link IpcTest} class's resources before its first callback and publishes
 * them as system properties; the JUnit store closes them after the class's
 * {@code @AfterAll} callbacks (so after Spring closed the class's context), restoring the
 * properties.
 */
class IpcTestExtension implements BeforeAllCallback, ParameterResolver {

	private static final Namespace NAMESPACE = Namespace.create(IpcTestExtension.class);

	@Override
	public void beforeAll(ExtensionContext context) {
		IpcTest annotation = AnnotatedElementUtils.findMergedAnnotation(context.getRequiredTestClass(), IpcTest.class);
		boolean bus = annotation != null && annotation.bus();
		context.getStore(NAMESPACE).put(IpcTestResources.class, new Published(IpcTestResources.create(bus)));
	}

	@Override
	public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
		return parameter.getParameter().getType() == IpcTestResources.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
		Published published = context.getStore(NAMESPACE).get(IpcTestResources.class, Published.class);
		if (published == null) {
			throw new IllegalStateException(
					"IpcTestResources are created for the test class; annotate it with @IpcTest");
		}
		return published.resources;
	}

	/** The resources of one class while they are system properties. */
	private static final class Published implements AutoCloseable {

		private final IpcTestResources resources;

		private final Map<String, @Nullable String> previous = new LinkedHashMap<>();

		Published(IpcTestResources resources) {
			this.resources = resources;
			resources.properties().forEach((name, value) -> this.previous.put(name, System.setProperty(name, value)));
		}

		@Override
		public void close() {
			this.previous.forEach((name, value) -> {
				if (value != null) {
					System.setProperty(name, value);
				}
				else {
					System.clearProperty(name);
				}
			});
			this.resources.close();
		}

	}

}
