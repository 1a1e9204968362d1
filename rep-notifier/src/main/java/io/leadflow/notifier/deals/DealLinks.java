package io.leadflow.notifier.deals;

import io.leadflow.avro.AlertField;
import io.leadflow.avro.AlertKind;
import io.leadflow.avro.AlertLink;
import io.leadflow.avro.CrmSynced;
import io.leadflow.avro.RepAlert;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HubSpot button of an alert. crm-sync announces each lead's deal on {@code crm.synced}; the latest
 * {@code cacheSize} leadId → deal URL pairs are kept here. A lead whose deal is not known yet (the usual case for a
 * brand-new lead, whose alert goes out before HubSpot has it) gets a contact-search link on the lead's email instead.
 */
public class DealLinks {

    static final String DEAL_LABEL = "Open deal in HubSpot";
    static final String SEARCH_LABEL = "Find contact in HubSpot";

    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}");

    private final Map<String, String> dealUrls;
    private final String portalId;
    private final String appBaseUrl;

    public DealLinks(int cacheSize, String portalId, String appBaseUrl) {
        this.dealUrls = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > cacheSize;
            }
        };
        this.portalId = portalId == null ? "" : portalId.trim();
        this.appBaseUrl = appBaseUrl.endsWith("/") ? appBaseUrl.substring(0, appBaseUrl.length() - 1) : appBaseUrl;
    }

    /** Remembers the deal of a synced lead. */
    public void synced(CrmSynced synced) {
        if (synced != null && synced.getLeadId() != null && synced.getDealUrl() != null && !synced.getDealUrl().isBlank()) {
            synchronized (dealUrls) {
                dealUrls.put(synced.getLeadId(), synced.getDealUrl());
            }
        }
    }

    public Optional<String> dealUrl(String leadId) {
        if (leadId == null) {
            return Optional.empty();
        }
        synchronized (dealUrls) {
            return Optional.ofNullable(dealUrls.get(leadId));
        }
    }

    /** The deal when known; for a new lead otherwise, a HubSpot contact search on its email (or company). */
    public Optional<AlertLink> hubspotLink(RepAlert alert) {
        Optional<String> deal = dealUrl(alert.getLeadId());
        if (deal.isPresent()) {
            return deal.map(url -> new AlertLink(DEAL_LABEL, url));
        }
        if (alert.getKind() != AlertKind.NEW_LEAD || portalId.isEmpty()) {
            return Optional.empty();
        }
        return searchTerm(alert).map(term -> new AlertLink(SEARCH_LABEL, appBaseUrl + "/contacts/"
                + URLEncoder.encode(portalId, StandardCharsets.UTF_8) + "/objects/0-1/views/all/list?query="
                + URLEncoder.encode(term, StandardCharsets.UTF_8)));
    }

    private static Optional<String> searchTerm(RepAlert alert) {
        String company = null;
        for (AlertField field : alert.getFields()) {
            if ("Contact".equals(field.getLabel()) && field.getValue() != null) {
                Matcher email = EMAIL.matcher(field.getValue());
                if (email.find()) {
                    return Optional.of(email.group());
                }
            }
            if ("Company".equals(field.getLabel()) && field.getValue() != null && !field.getValue().isBlank()) {
                company = field.getValue().trim();
            }
        }
        return Optional.ofNullable(company);
    }
}
