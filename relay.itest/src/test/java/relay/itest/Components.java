package relay.itest;

import java.util.Collection;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/** The component runtime's view of a component, through {@link ServiceComponentRuntime}. */
final class Components {

    private final ServiceComponentRuntime scr;

    Components(BundleContext context) {
        scr = Services.await(context, ServiceComponentRuntime.class);
    }

    /** @return the one active configuration of component {@code name} in {@code bundle}; fails otherwise */
    ComponentConfigurationDTO active(Bundle bundle, String name) {
        ComponentDescriptionDTO description = scr.getComponentDescriptionDTO(bundle, name);
        if (description == null) {
            throw new AssertionError("no component " + name + " in " + bundle.getSymbolicName());
        }
        Collection<ComponentConfigurationDTO> configurations = scr.getComponentConfigurationDTOs(description);
        return configurations.stream().filter(c -> c.state == ComponentConfigurationDTO.ACTIVE).reduce((x, y) -> {
            throw new AssertionError("more than one active configuration of " + name);
        }).orElseThrow(() -> new AssertionError("component " + name + " is not active"));
    }
}
