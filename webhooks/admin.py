"""Webhook subscriptions in the admin: register, switch on and off, read the delivery log, redeliver."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _, ngettext

from . import services
from .models import Delivery, Subscription


class DeliveryInline(admin.TabularInline):
    model = Delivery
    fk_name = "subscription"
    fields = ("event", "status", "attempts", "response_status", "error", "last_attempt_at", "delivered_at")
    readonly_fields = fields
    ordering = ("-pk",)
    extra = 0
    max_num = 0
    show_change_link = True
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("event")


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ("url", "description", "is_active", "consecutive_failures", "disabled_reason", "updated_at")
    list_filter = ("is_active",)
    search_fields = ("url", "description")
    fields = ("url", "description", "event_types", "secret", "is_active", "disabled_reason", "consecutive_failures")
    readonly_fields = ("disabled_reason", "consecutive_failures")
    inlines = [DeliveryInline]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "url":
            kwargs["assume_scheme"] = "https"  # an address typed without a scheme is https
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in form.changed_data if name in form.cleaned_data}
        if change:
            current = Subscription.objects.get(pk=obj.pk)
            services.subscription_update(subscription=current, data=data)
            obj.refresh_from_db()
        else:
            created = services.subscription_create(data={name: getattr(obj, name) for name in self.fields[:5]})
            obj.pk = created.pk
            obj.refresh_from_db()


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ("event", "subscription", "status", "attempts", "response_status", "error", "last_attempt_at")
    list_filter = ("status", "subscription")
    list_select_related = ("event", "subscription")
    readonly_fields = [field.name for field in Delivery._meta.fields]
    actions = ["redeliver"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Send the selected deliveries again"), permissions=["view"])
    def redeliver(self, request, queryset):
        for delivery in queryset.select_related("event", "subscription"):
            services.delivery_redeliver(delivery=delivery)
        count = queryset.count()
        self.message_user(
            request,
            ngettext("%(count)d delivery will be sent again.", "%(count)d deliveries will be sent again.", count)
            % {"count": count},
            messages.SUCCESS,
        )
