import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from apps.portal.models import Article, VisitCounterSettings, WebsiteLink

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(User.objects.create_superuser("quan_tri_cong", "qt@example.org", "s3cret-pass"))
    return client


def test_staff_set_the_visits_carried_over_from_the_old_site(admin_client, client):
    counter = VisitCounterSettings.load()
    response = admin_client.get(reverse("admin:portal_visitcountersettings_changelist"))
    assert response.status_code == 302  # straight to the one row
    admin_client.post(
        reverse("admin:portal_visitcountersettings_change", args=[counter.pk]), {"carried_over_total": "10114391"}
    )
    counter.refresh_from_db()
    assert counter.carried_over_total == 10_114_391


def test_staff_write_a_news_article_in_the_admin(admin_client):
    response = admin_client.post(
        reverse("admin:portal_article_add"),
        {
            "title": "Trao xe đạp cho học sinh",
            "slug": "trao-xe-dap",
            "summary": "",
            "body": "Nội dung.",
            "author": "Ban Dân vận",
            "publisher": "Ban Tuyên giáo Huyện ủy",
            "published_on": "05/09/2024",
            "image_caption": "",
            "is_published": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get(slug="trao-xe-dap")
    assert article.is_published and article.created_by.username == "quan_tri_cong"


def test_a_website_address_typed_without_its_scheme_links_over_https(admin_client, client):
    response = admin_client.post(
        reverse("admin:portal_websitelink_add"),
        {"title": "Cổng thông tin tỉnh", "url": "cong-thong-tin.example.vn", "position": "1", "is_active": "on"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert WebsiteLink.objects.get(title="Cổng thông tin tỉnh").url == "https://cong-thong-tin.example.vn"
    assert 'href="https://cong-thong-tin.example.vn"' in client.get(reverse("portal:home")).content.decode()


@pytest.mark.parametrize("model", ["article", "websitelink", "reviewperiod", "dailyvisits"])
def test_each_portal_admin_list_opens_for_staff(admin_client, model):
    assert admin_client.get(reverse(f"admin:portal_{model}_changelist")).status_code == 200
